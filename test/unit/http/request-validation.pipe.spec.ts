import { ArrayMaxSize, IsArray, IsInt, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import {
  MAX_REPORTED_FIELDS,
  createValidationPipe,
} from '../../../src/http/request-validation.pipe';
import { HttpError } from '../../../src/http/http-error';

class AuthorDto {
  @IsString() name: string;
}

class CommitDto {
  @IsString() @MaxLength(5) message: string;
  @IsInt() count: number;
  @ValidateNested() @Type(() => AuthorDto) author: AuthorDto;
  @IsArray() @ArrayMaxSize(5) @IsString({ each: true }) files: string[];
  @ValidateNested({ each: true }) @Type(() => AuthorDto) reviewers: AuthorDto[];
}

async function failure(body: unknown): Promise<HttpError> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: CommitDto });
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a validation failure');
}

describe('createValidationPipe', () => {
  it('lists every failing field with dotted paths and array indices', async () => {
    const error = await failure({
      message: 'much too long',
      count: 'x',
      author: { name: 7 },
      files: ['a', 3],
      reviewers: [{ name: 'ok' }, { name: false }],
    });
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe('INVALID_REQUEST');
    const fields = (error.details?.fields ?? []) as Array<{ field: string; message: string }>;
    expect(fields.map((failure) => failure.field)).toEqual([
      'message',
      'count',
      'author.name',
      'files',
      'reviewers[1].name',
    ]);
    expect(fields[0]?.message).toContain('message must be shorter than or equal to 5 characters');
    expect(error.message).toMatch(/^invalid request: message: .* \(and 2 more\)$/);
  });

  it('reports at most MAX_REPORTED_FIELDS fields', async () => {
    const error = await failure({
      message: 'hi',
      count: 1,
      author: { name: 'a' },
      files: [],
      reviewers: Array.from({ length: 500 }, () => ({ name: 1 })),
    });
    expect(error.details?.fields).toHaveLength(MAX_REPORTED_FIELDS);
  });

  it('drops unknown fields instead of refusing them', async () => {
    const value = (await createValidationPipe().transform(
      { message: 'hi', count: 1, author: { name: 'a' }, files: [], reviewers: [], role: 'admin' },
      { type: 'body', metatype: CommitDto },
    )) as CommitDto & { role?: string };
    expect(value).toBeInstanceOf(CommitDto);
    expect(value.role).toBeUndefined();
  });
});

describe('createValidationPipe with context codes', () => {
  class PagingDto {
    @IsInt({ context: { code: 'INVALID_LIMIT' }, message: 'limit must be an integer' })
    limit: number;

    @IsString() name: string;
  }

  async function failureOf(body: unknown): Promise<HttpError> {
    try {
      await createValidationPipe().transform(body, { type: 'query', metatype: PagingDto });
    } catch (error) {
      if (error instanceof HttpError) return error;
      throw error;
    }
    throw new Error('expected a validation failure');
  }

  it('answers the code a failing rule names in its context', async () => {
    const error = await failureOf({ limit: 'x', name: 3 });
    expect(error.code).toBe('INVALID_LIMIT');
    expect(error.details?.fields).toEqual([
      { field: 'limit', message: 'limit must be an integer' },
      { field: 'name', message: 'name must be a string' },
    ]);
  });

  it('keeps INVALID_REQUEST when no failing rule names a code', async () => {
    const error = await failureOf({ limit: 1, name: 3 });
    expect(error.code).toBe('INVALID_REQUEST');
  });
});
