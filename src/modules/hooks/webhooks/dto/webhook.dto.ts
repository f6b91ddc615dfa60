/** Webhook requests and responses (api-contract.md §6.1). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { PageQueryDto, toPage, type PageLimits } from '../../../../http/page-query.dto';
import {
  CONTENT_TYPES,
  type Webhook,
  type WebhookContentType,
  type WebhookDelivery,
} from '../webhook-model';

const EVENTS_DESCRIPTION =
  'Event names (push, commit, branch, tag, merge, stash, reset, rebase, cherry-pick, revert, ' +
  'transaction, repository, reality, ping), `*` for all, or govc hook types (post-commit, ' +
  'post-receive, post-push, post-merge, post-checkout)';

export class UpdateWebhookDto {
  @ApiPropertyOptional({ type: String, description: 'Absolute http(s) URL, at most 2048 chars' })
  @IsOptional()
  @IsString()
  url?: string;

  @ApiPropertyOptional({ type: [String], description: EVENTS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  events?: string[];

  @ApiPropertyOptional({ type: String, description: 'The single event when `events` is empty' })
  @IsOptional()
  @IsString()
  type?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'HMAC-SHA256 key for the signature headers; never returned; "" removes it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  secret?: string;

  @ApiPropertyOptional({ enum: CONTENT_TYPES, default: CONTENT_TYPES[0] })
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  content_type?: WebhookContentType;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Skip TLS certificate checks (never relaxes the address guard)',
  })
  @IsOptional()
  @IsBoolean()
  insecure_ssl?: boolean;
}

export class CreateWebhookDto extends UpdateWebhookDto {
  @ApiProperty({ type: String, description: 'Absolute http(s) URL, at most 2048 chars' })
  @IsString()
  declare url: string;
}

export const DELIVERY_PAGE_LIMITS: PageLimits = { defaultLimit: 30, maxLimit: 100 };

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['success', 'failure', 'pending'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'pending'])
  status?: 'success' | 'failure' | 'pending';
}

export class ExecuteWebhooksDto {
  @ApiPropertyOptional({ type: Object, description: 'The `data` of the event sent' })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class HookMessageDto {
  @ApiProperty({ type: Object, additionalProperties: { type: 'string' } })
  headers: Record<string, string>;

  @ApiProperty({ type: String })
  body: string;
}

export class HookDeliveryDto {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid' }) hook_id: string;
  @ApiProperty({ type: String }) url: string;
  @ApiProperty({ type: String }) event: string;
  @ApiProperty({ type: Number, description: '0 when no response came' }) status_code: number;
  @ApiProperty({ type: Number }) duration_ms: number;
  @ApiProperty({ type: HookMessageDto }) request: HookMessageDto;
  @ApiProperty({ type: HookMessageDto, description: 'body: first 64 KiB' })
  response: HookMessageDto;
  @ApiProperty({ type: Boolean }) delivered: boolean;
  @ApiProperty({ type: Number, description: 'Attempts made so far' }) attempt: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null when final',
  })
  next_retry_at: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, nullable: true }) redelivery_of: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
}

export class HookResponseDto {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) url: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiProperty({ enum: CONTENT_TYPES }) content_type: string;
  @ApiProperty({ type: Boolean }) active: boolean;
  @ApiProperty({ type: Boolean }) insecure_ssl: boolean;
  @ApiProperty({ type: Boolean, description: 'Whether a secret is set (it is never returned)' })
  has_secret: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
  @ApiPropertyOptional({ type: HookDeliveryDto }) last_response?: HookDeliveryDto;
}

export class HookListResponseDto {
  @ApiProperty({ type: [HookResponseDto] }) hooks: HookResponseDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class DeliveryListResponseDto {
  @ApiProperty({ type: [HookDeliveryDto] }) deliveries: HookDeliveryDto[];
  @ApiProperty({ type: Number }) count: number;
  @ApiProperty({ type: Number }) total: number;
}

export function toHookDelivery(delivery: WebhookDelivery): HookDeliveryDto {
  return {
    id: delivery.id,
    hook_id: delivery.hookId,
    url: delivery.url,
    event: delivery.event,
    status_code: delivery.statusCode,
    duration_ms: delivery.durationMs,
    request: { headers: { ...delivery.request.headers }, body: delivery.request.body },
    response: { headers: { ...delivery.response.headers }, body: delivery.response.body },
    delivered: delivery.state === 'success',
    attempt: delivery.attempt,
    next_retry_at: delivery.nextRetryAt,
    error: delivery.error,
    redelivery_of: delivery.redeliveryOf,
    created_at: delivery.createdAt,
  };
}

export function toHookResponse(hook: Webhook, last: WebhookDelivery | undefined): HookResponseDto {
  return {
    id: hook.id,
    url: hook.url,
    events: [...hook.events],
    content_type: hook.contentType,
    active: hook.active,
    insecure_ssl: hook.insecureSsl,
    has_secret: hook.secret !== null,
    created_at: hook.createdAt,
    updated_at: hook.updatedAt,
    ...(last === undefined ? {} : { last_response: toHookDelivery(last) }),
  };
}

/** One page (limit 30 by default, at most 100), newest first. */
export function toDeliveryList(
  deliveries: readonly WebhookDelivery[],
  query: DeliveriesQueryDto,
): DeliveryListResponseDto {
  const { limit, offset } = toPage(query, DELIVERY_PAGE_LIMITS);
  const page = deliveries.slice(offset, offset + limit).map(toHookDelivery);
  return { deliveries: page, count: page.length, total: deliveries.length };
}
