/** Tag requests and responses (api-contract.md §3.4). */
import type { ApiVersion } from '../../../../http/api-version';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { signatureTimeIso, type Signature, type TagInfo } from '../../../../core';
import { CommitSignatureDto } from '../../dto/commit-response.dto';
import { toSuccessDataResponse, type SuccessDataResponseDto } from './success-data-response.dto';
import { AuthorField, CommitAuthorDto } from '../../dto/author-field.decorator';

export class CreateTagDto {
  @ApiProperty({ type: String, example: 'v1.0.0' })
  @IsString()
  name: string;

  @ApiPropertyOptional({ type: String, description: 'Present → annotated tag' })
  @IsOptional()
  @IsString()
  message?: string;

  @ApiPropertyOptional({ type: String, description: 'What to tag; default HEAD' })
  @IsOptional()
  @IsString()
  ref?: string;

  @ApiPropertyOptional({ type: String, description: 'Alias of ref' })
  @IsOptional()
  @IsString()
  commit?: string;

  @AuthorField('Tagger name, or {name, email} (§0.8)')
  author?: string | CommitAuthorDto;

  @ApiPropertyOptional({ type: String, description: 'Tagger email (§0.8)' })
  @IsOptional()
  @IsString()
  email?: string;
}

export class TagResponseDto {
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, description: 'Peeled commit hash' }) commit: string;
  @ApiProperty({ type: Boolean }) annotated: boolean;
  @ApiPropertyOptional({ type: String, description: 'Tag object hash (annotated only)' })
  object?: string;
  @ApiPropertyOptional({ type: String, description: 'Annotated only' }) message?: string;
  @ApiPropertyOptional({ type: CommitSignatureDto, description: 'Annotated only' })
  tagger?: CommitSignatureDto;
}

export class TagListResponseDto {
  @ApiProperty({ type: [TagResponseDto], description: 'Sorted by name' }) tags: TagResponseDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class TagCreatedV2Dto {
  @ApiProperty({ type: String, example: '' }) status: string;
  @ApiProperty({ type: String }) message: string;
  @ApiProperty({ type: TagResponseDto }) data: TagResponseDto;
}

function toTagger(tagger: Signature): CommitSignatureDto {
  return { name: tagger.name, email: tagger.email, timestamp: signatureTimeIso(tagger) };
}

export function toTagResponse(info: TagInfo): TagResponseDto {
  return {
    name: info.name,
    commit: info.commit,
    annotated: info.annotated,
    ...(info.object === undefined ? {} : { object: info.object }),
    ...(info.message === undefined ? {} : { message: info.message.replace(/\n$/, '') }),
    ...(info.tagger === undefined ? {} : { tagger: toTagger(info.tagger) }),
  };
}

export function toTagList(tags: readonly TagInfo[]): TagListResponseDto {
  return { tags: tags.map(toTagResponse), count: tags.length };
}

export function toTagCreatedV2(info: TagInfo): TagCreatedV2Dto {
  return { status: '', message: `tag '${info.name}' created`, data: toTagResponse(info) };
}

export function toTagDeleted(family: ApiVersion, name: string): SuccessDataResponseDto {
  return toSuccessDataResponse(family, 'deleted', `tag '${name}' deleted`);
}
