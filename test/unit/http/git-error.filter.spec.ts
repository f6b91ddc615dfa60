import {
  BadRequestException,
  ForbiddenException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Request } from 'express';
import { describeError } from '../../../src/http/git-error.filter';
import { STATUS_BY_KIND, type GitErrorKind } from '../../../src/http/git-error-kind';
import { HttpError } from '../../../src/http/http-error';

/** What a core GitError looks like to the filter: any object with a string code and a kind. */
class FakeDomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const request = {
  method: 'GET',
  originalUrl: '/api/v1/repos/x?y=1',
  url: '/api/v1/repos/x?y=1',
  id: 'req-1',
} as unknown as Request;

describe('describeError', () => {
  it.each<[GitErrorKind, number]>([
    ['not-found', 404],
    ['conflict', 409],
    ['invalid-argument', 400],
    ['permission-denied', 403],
    ['too-large', 413],
    ['unavailable', 503],
    ['unauthenticated', 401],
    ['precondition', 400],
  ])('maps a domain error of kind %s to %d with its code, message and details', (kind, status) => {
    const reply = describeError(
      new FakeDomainError('SOME_CODE', kind, 'it failed', { repo: 'x' }),
      request,
    );
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ error: 'it failed', code: 'SOME_CODE', details: { repo: 'x' } });
    expect(STATUS_BY_KIND[kind]).toBe(status);
  });

  it('recognises domain errors by shape alone, not by class', () => {
    const plain = { code: 'REPO_NOT_FOUND', kind: 'not-found', message: 'repository x not found' };
    expect(describeError(plain, request)).toEqual({
      status: 404,
      body: { error: 'repository x not found', code: 'REPO_NOT_FOUND' },
      headers: {},
    });
  });

  it('adds WWW-Authenticate to 401 and Retry-After to 503 domain errors', () => {
    expect(
      describeError(new FakeDomainError('UNAUTHORIZED', 'unauthenticated', 'no'), request).headers,
    ).toEqual({
      'WWW-Authenticate': 'Bearer',
    });
    expect(
      describeError(new FakeDomainError('STORAGE_UNAVAILABLE', 'unavailable', 'down'), request)
        .headers,
    ).toEqual({
      'Retry-After': '1',
    });
  });

  it('treats an object with an unknown kind as an unknown error', () => {
    const reply = describeError(new FakeDomainError('X', 'exploded', 'secret internals'), request);
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({
      error: 'internal server error',
      code: 'INTERNAL_ERROR',
      details: { request_id: 'req-1' },
    });
  });

  it('keeps the code, details and headers of an HttpError', () => {
    const reply = describeError(
      new HttpError(504, 'REQUEST_TIMEOUT', 'too slow', { timeout: '25s' }, { 'X-Why': 'slow' }),
      request,
    );
    expect(reply).toEqual({
      status: 504,
      body: { error: 'too slow', code: 'REQUEST_TIMEOUT', details: { timeout: '25s' } },
      headers: { 'X-Why': 'slow' },
    });
  });

  it("maps Nest's router 404 to ENDPOINT_NOT_FOUND with the path but not the query", () => {
    const reply = describeError(new NotFoundException('Cannot GET /api/v1/repos/x?y=1'), request);
    expect(reply.body).toEqual({
      error: 'endpoint not found: GET /api/v1/repos/x',
      code: 'ENDPOINT_NOT_FOUND',
    });
  });

  it('maps other Nest HttpExceptions by status', () => {
    expect(describeError(new BadRequestException('bad'), request).body.code).toBe(
      'INVALID_REQUEST',
    );
    expect(describeError(new ForbiddenException(), request).body.code).toBe('FORBIDDEN');
    expect(describeError(new PayloadTooLargeException(), request).body.code).toBe(
      'REQUEST_TOO_LARGE',
    );
  });

  it('answers anything else with 500 INTERNAL_ERROR, the request id and no internals', () => {
    const error = new Error('db password is hunter2');
    const reply = describeError(error, request);
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({
      error: 'internal server error',
      code: 'INTERNAL_ERROR',
      details: { request_id: 'req-1' },
    });
    expect(JSON.stringify(reply.body)).not.toContain('hunter2');
    expect(JSON.stringify(reply.body)).not.toContain('at ');
  });
});
