/**
 * Body of POST …/commit and v2 POST …/commits (api-contract.md §3.2, §0.8). `author` is a name,
 * or an object `{name, email}`; the identity rules themselves live in commit-identity.ts.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, ValidateBy } from 'class-validator';

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

@ApiExtraModels(CommitAuthorDto)
export class CommitRequestDto {
  @ApiProperty({
    type: String,
    description: '1–100000 bytes of UTF-8 without NUL',
    example: 'First commit',
  })
  @IsString()
  message: string;

  @ApiPropertyOptional({
    description: 'Author name, or {name, email}; stored as the repository user.name/user.email',
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(CommitAuthorDto) }],
  })
  @IsOptional()
  @ValidateBy({
    name: 'isAuthor',
    validator: {
      validate: isAuthor,
      defaultMessage: () => 'author must be a string or an object {name, email} of strings',
    },
  })
  author?: string | CommitAuthorDto;

  @ApiPropertyOptional({ type: String, example: 'ada@example.com' })
  @IsOptional()
  @IsString()
  email?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Commit even when the index equals HEAD',
  })
  @IsOptional()
  @IsBoolean()
  allow_empty?: boolean;
}
