/**
 * The `author` field every body that creates a commit, tag or stash accepts (api-contract.md
 * §0.8): a name, or an object `{name, email}`. One decorator, so validation and the OpenAPI
 * schema cannot drift between routes.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';

export class CommitAuthorDto {
  @ApiPropertyOptional({ type: String, example: 'Ada Lovelace' })
  name?: string;

  @ApiPropertyOptional({ type: String, example: 'ada@example.com' })
  email?: string;
}

/** A string, or an object whose `name` and `email`, when present, are strings. */
function isAuthor(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { name, email } = value as Record<string, unknown>;
  return (
    (name === undefined || typeof name === 'string') &&
    (email === undefined || typeof email === 'string')
  );
}

export function AuthorField(description: string): PropertyDecorator {
  return applyDecorators(
    // Inline rather than a $ref: a property decorator cannot register a named model.
    ApiPropertyOptional({
      description,
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: { name: { type: 'string' }, email: { type: 'string' } },
        },
      ],
    }),
    IsOptional(),
    ValidateBy({
      name: 'isAuthor',
      validator: {
        validate: isAuthor,
        defaultMessage: () => 'author must be a string or an object {name, email} of strings',
      },
    }),
  );
}
