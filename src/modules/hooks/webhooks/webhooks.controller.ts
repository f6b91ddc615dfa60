/**
 * Webhook routes (api-contract.md §6.1, §4): the same handlers under `/api/v1` and `/api/v2`,
 * built by one factory so the two cannot drift; v2 differs in its delete message and adds
 * `hooks/execute/:hook_type` (govc v2: fires the webhooks, runs no script; the v1 route of that
 * path runs server-side hook scripts and lives in server-hooks/).
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Patch,
  Post,
  Put,
  Query,
  type Type,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { API_V1, API_V2, type ApiVersion } from '../../../http/api-version';
import { Endpoint, type EndpointError } from '../../../http/endpoint.decorator';
import { SuccessResponseDto, toSuccessResponse } from '../../../http/success-response.dto';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../../git-core/route-errors';
import {
  CreateWebhookDto,
  DeliveriesQueryDto,
  DeliveryListResponseDto,
  ExecuteWebhooksDto,
  HookDeliveryDto,
  HookListResponseDto,
  HookResponseDto,
  UpdateWebhookDto,
  toDeliveryList,
  toHookDelivery,
  toHookResponse,
} from './dto/webhook.dto';
import type { Webhook } from './webhook-model';
import { WebhooksService } from './webhooks.service';

const PERMISSION = 'repo:admin';
/** §6.1: "repo:admin or webhook:write on the repository". */
const ALSO_PERMITS = ['webhook:write'];
const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const REGISTRATION_ERRORS: readonly EndpointError[] = [
  ...REPO_WRITE_ERRORS,
  err(
    400,
    'INVALID_WEBHOOK_URL',
    'WEBHOOK_TARGET_FORBIDDEN',
    'INVALID_EVENT',
    'WEBHOOK_LIMIT_REACHED',
  ),
];
const HOOK_NOT_FOUND = err(404, 'REPO_NOT_FOUND', 'WEBHOOK_NOT_FOUND');
const DELIVERY_NOT_FOUND = err(404, 'REPO_NOT_FOUND', 'WEBHOOK_NOT_FOUND', 'DELIVERY_NOT_FOUND');

function webhooksController(version: ApiVersion): Type<unknown> {
  const base = `${version === 'v1' ? API_V1 : API_V2}/repos/:repo_id/hooks`;
  const hookPath = `${base}/:hook_id`;
  const id = (name: string): string => `webhooks${name}${version === 'v1' ? '' : 'V2'}`;
  const suffix = version === 'v1' ? '' : ' (v2)';

  @ApiTags('webhooks')
  @Controller()
  class WebhooksController {
    constructor(readonly webhooks: WebhooksService) {}

    response(hook: Webhook): HookResponseDto {
      return toHookResponse(hook, this.webhooks.lastDelivery(hook.id));
    }

    @Post(base)
    @Endpoint({
      summary: `Register a webhook${suffix}`,
      operationId: id('Create'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 201, description: 'The webhook', type: HookResponseDto }],
      errors: REGISTRATION_ERRORS,
    })
    async create(
      @Param('repo_id') repoId: string,
      @Body() body: CreateWebhookDto,
    ): Promise<HookResponseDto> {
      return this.response(await this.webhooks.create(repoId, body));
    }

    @Get(base)
    @Endpoint({
      summary: `List a repository's webhooks${suffix}`,
      operationId: id('List'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'By created_at', type: HookListResponseDto }],
      errors: REPO_READ_ERRORS,
    })
    list(@Param('repo_id') repoId: string): HookListResponseDto {
      const hooks = this.webhooks.list(repoId).map((hook) => this.response(hook));
      return { hooks, count: hooks.length };
    }

    @Get(hookPath)
    @Endpoint({
      summary: `Get a webhook${suffix}`,
      operationId: id('Get'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'The webhook', type: HookResponseDto }],
      errors: [...REPO_READ_ERRORS, HOOK_NOT_FOUND],
    })
    get(@Param('repo_id') repoId: string, @Param('hook_id') hookId: string): HookResponseDto {
      return this.response(this.webhooks.get(repoId, hookId));
    }

    @Patch(hookPath)
    @Endpoint({
      summary: `Update a webhook${suffix}`,
      operationId: id('Update'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'The webhook', type: HookResponseDto }],
      errors: [...REGISTRATION_ERRORS, HOOK_NOT_FOUND],
    })
    async update(
      @Param('repo_id') repoId: string,
      @Param('hook_id') hookId: string,
      @Body() body: UpdateWebhookDto,
    ): Promise<HookResponseDto> {
      return this.response(await this.webhooks.update(repoId, hookId, body));
    }

    @Put(hookPath)
    @ApiBody({ type: UpdateWebhookDto })
    @Endpoint({
      summary: `Update a webhook (PUT alias of PATCH)${suffix}`,
      operationId: id('Replace'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'The webhook', type: HookResponseDto }],
      errors: [...REGISTRATION_ERRORS, HOOK_NOT_FOUND],
    })
    async replace(
      @Param('repo_id') repoId: string,
      @Param('hook_id') hookId: string,
      @Body() body: UpdateWebhookDto,
    ): Promise<HookResponseDto> {
      return this.response(await this.webhooks.update(repoId, hookId, body));
    }

    @Delete(hookPath)
    @Endpoint({
      summary: `Delete a webhook${suffix}`,
      operationId: id('Delete'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'Deleted', type: SuccessResponseDto }],
      errors: [...REPO_WRITE_ERRORS, HOOK_NOT_FOUND],
    })
    async delete(
      @Param('repo_id') repoId: string,
      @Param('hook_id') hookId: string,
    ): Promise<SuccessResponseDto> {
      await this.webhooks.delete(repoId, hookId);
      return version === 'v1'
        ? toSuccessResponse(version, 'success', 'webhook deleted successfully')
        : toSuccessResponse(version, '', `webhook '${hookId.slice(0, 7)}' deleted`);
    }

    @Get(`${hookPath}/deliveries`)
    @Endpoint({
      summary: `List a webhook's deliveries, newest first${suffix}`,
      operationId: id('ListDeliveries'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'One page', type: DeliveryListResponseDto }],
      errors: [...REPO_READ_ERRORS, err(400, 'INVALID_LIMIT', 'INVALID_OFFSET'), HOOK_NOT_FOUND],
    })
    deliveries(
      @Param('repo_id') repoId: string,
      @Param('hook_id') hookId: string,
      @Query() query: DeliveriesQueryDto,
    ): DeliveryListResponseDto {
      return toDeliveryList(this.webhooks.deliveriesOf(repoId, hookId, query.status), query);
    }

    @Get(`${hookPath}/deliveries/:delivery_id`)
    @Endpoint({
      summary: `Get one delivery${suffix}`,
      operationId: id('GetDelivery'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 200, description: 'The delivery', type: HookDeliveryDto }],
      errors: [...REPO_READ_ERRORS, DELIVERY_NOT_FOUND],
    })
    delivery(
      @Param('repo_id') repoId: string,
      @Param('hook_id') hookId: string,
      @Param('delivery_id') deliveryId: string,
    ): HookDeliveryDto {
      return toHookDelivery(this.webhooks.delivery(repoId, hookId, deliveryId));
    }

    @Post(`${hookPath}/deliveries/:delivery_id/redeliver`)
    @Endpoint({
      summary: `Send a delivery's payload again${suffix}`,
      operationId: id('Redeliver'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 202, description: 'The new delivery', type: HookDeliveryDto }],
      errors: [...REPO_WRITE_ERRORS, DELIVERY_NOT_FOUND],
    })
    redeliver(
      @Param('repo_id') repoId: string,
      @Param('hook_id') hookId: string,
      @Param('delivery_id') deliveryId: string,
    ): HookDeliveryDto {
      return toHookDelivery(this.webhooks.redeliver(repoId, hookId, deliveryId));
    }

    @Post(`${hookPath}/ping`)
    @Endpoint({
      summary: `Send a ping event to a webhook${suffix}`,
      operationId: id('Ping'),
      permission: PERMISSION,
      alsoPermits: ALSO_PERMITS,
      responses: [{ status: 202, description: 'The ping delivery', type: HookDeliveryDto }],
      errors: [...REPO_WRITE_ERRORS, HOOK_NOT_FOUND],
    })
    ping(@Param('repo_id') repoId: string, @Param('hook_id') hookId: string): HookDeliveryDto {
      return toHookDelivery(this.webhooks.ping(repoId, hookId));
    }
  }
  return WebhooksController;
}

export const WebhooksV1Controller = webhooksController('v1');

const V2WebhooksBase = webhooksController('v2');

/** v2 only: `hooks/execute/:hook_type` fires the matching webhooks (govc v2 semantics). */
@ApiTags('webhooks')
@Controller(`${API_V2}/repos/:repo_id/hooks/execute`)
export class WebhooksExecuteV2Controller {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post(':hook_type')
  @ApiBody({ type: ExecuteWebhooksDto, required: false })
  @Endpoint({
    summary: 'Fire the webhooks subscribed to an event with the given data (v2; runs no script)',
    operationId: 'webhooksExecuteV2',
    permission: PERMISSION,
    alsoPermits: ALSO_PERMITS,
    responses: [{ status: 200, description: 'Triggered', type: SuccessResponseDto }],
    errors: [...REPO_WRITE_ERRORS, err(400, 'INVALID_EVENT')],
  })
  execute(
    @Param('repo_id') repoId: string,
    @Param('hook_type') hookType: string,
    @Body() body?: ExecuteWebhooksDto,
  ): SuccessResponseDto {
    this.webhooks.execute(repoId, hookType, body?.data ?? {});
    return toSuccessResponse('v2', '', `triggered '${hookType}' webhooks`);
  }
}

export const WebhooksV2Controller = V2WebhooksBase;
