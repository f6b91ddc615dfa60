/**
 * Body of POST …/commit and v2 POST …/commits (api-contract.md §3.2, §0.8). `author` is a name,
 * or an object `{name, email}`; the identity rules themselves live in commit-identity.ts.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { AuthorField, CommitAuthorDto } from './author-field.decorator';

export { CommitAuthorDto };

export class CommitRequestDto {
  @ApiProperty({
    type: String,
    description: '1–100000 bytes of UTF-8 without NUL',
    example: 'First commit',
  })
  @IsString()
  message: string;

  @AuthorField('Author name, or {name, email}; stored as the repository user.name/user.email')
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
