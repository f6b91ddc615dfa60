/**
 * The OpenAPI document, generated from the controllers' decorators: served as Swagger UI at /docs
 * and JSON at /docs-json (/swagger redirects), and written to openapi/openapi.json by
 * `npm run openapi`. Operation ids are stable: controller name + handler name in camelCase
 * (`HealthController.live` → `healthLive`), unless a route sets its own.
 */
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BUILD_INFO } from '../build-info';
import { ErrorResponseDto } from './error-response.dto';

export function operationIdOf(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  const head = controller.charAt(0).toLowerCase() + controller.slice(1);
  return head + methodKey.charAt(0).toUpperCase() + methodKey.slice(1);
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const info = new DocumentBuilder()
    .setTitle('govc-ts')
    .setDescription(
      'Memory-first Git server with the govc REST API. Errors are flat JSON ' +
        '`{error, code, details?}`; see each code in the API contract.',
    )
    .setVersion(BUILD_INFO.version)
    .build();
  return SwaggerModule.createDocument(app, info, {
    operationIdFactory: operationIdOf,
    extraModels: [ErrorResponseDto],
  });
}

export function mountApiDocs(app: NestExpressApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  const http = app.getHttpAdapter();
  http.get('/swagger', (_request: unknown, response: unknown) => {
    http.redirect(response, 302, '/docs');
  });
}
