import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, of, delay } from 'rxjs';
import { HttpError } from '../../../src/http/http-error';
import {
  NoRequestTimeout,
  RequestTimeoutInterceptor,
} from '../../../src/http/request-timeout.interceptor';

class Routes {
  handle(): void {}
  @NoRequestTimeout()
  stream(): void {}
}

function contextFor(handler: keyof Routes): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
}

function slowHandler(ms: number): CallHandler {
  return { handle: () => of('done').pipe(delay(ms)) };
}

describe('RequestTimeoutInterceptor', () => {
  const interceptor = new RequestTimeoutInterceptor(50, new Reflector());

  it('passes a result that arrives in time', async () => {
    await expect(
      firstValueFrom(interceptor.intercept(contextFor('handle'), slowHandler(5))),
    ).resolves.toBe('done');
  });

  it('fails a slow handler with 504 REQUEST_TIMEOUT and the limit in details', async () => {
    const error: unknown = await firstValueFrom(
      interceptor.intercept(contextFor('handle'), slowHandler(200)),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', details: { timeout: '50ms' } });
    expect((error as HttpError).getStatus()).toBe(504);
  });

  it('leaves handlers marked @NoRequestTimeout() alone', async () => {
    await expect(
      firstValueFrom(interceptor.intercept(contextFor('stream'), slowHandler(120))),
    ).resolves.toBe('done');
  });
});
