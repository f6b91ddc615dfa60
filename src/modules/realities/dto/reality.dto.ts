/** Parallel-reality requests and responses (api-contract.md §8). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import type {
  BenchmarkMetrics,
  RealityBenchmark,
  RealityInfo,
  RealityMergeResult,
} from '../../../core';
import { CommitResponseDto, toCommitResponse } from '../../repos/dto/commit-response.dto';
import type { CommitResult } from '../../../core';
import { AuthorField, CommitAuthorDto } from '../../repos/dto/author-field.decorator';

/** Hard cap on names per request before the engine applies realities.max_per_request. */
const MAX_NAMES_ACCEPTED = 100_000;

/** `{path: string | null}`: every value a string (new content) or null (delete). */
function IsChangeMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isChangeMap',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((content) => content === null || typeof content === 'string'),
        defaultMessage: () => '$property must map paths to string content or null',
      },
    },
    options,
  );
}

export class CreateRealitiesDto {
  @ApiProperty({ type: [String], description: 'Names (with or without `parallel/`); may be []' })
  @IsArray()
  @ArrayMaxSize(MAX_NAMES_ACCEPTED)
  @IsString({ each: true })
  branches: string[];

  @ApiPropertyOptional({ type: String, description: 'Base ref; default HEAD' })
  @IsOptional()
  @IsString()
  base?: string;
}

export class ApplyRealityDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'path → new content, or null to delete; may be {}',
  })
  @IsChangeMap()
  changes: Record<string, string | null>;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  message?: string;

  @AuthorField('Author name, or {name, email} (§0.8)')
  author?: string | CommitAuthorDto;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  email?: string;
}

export class MergeRealityDto {
  @ApiPropertyOptional({
    type: String,
    description: "Default: the reality's base branch, else the current branch",
  })
  @IsOptional()
  @IsString()
  into?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  message?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Delete the reality after merging' })
  @IsOptional()
  @IsBoolean()
  delete?: boolean;
}

export class RealityResponseDto {
  @ApiProperty({ type: String, example: 'parallel/experiment' }) name: string;
  @ApiProperty({ type: Boolean, example: true }) isolated: boolean;
  @ApiProperty({ type: Boolean, example: true }) ephemeral: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Base ref as given' }) base:
    string | null;
  @ApiProperty({ type: String, nullable: true }) base_commit: string | null;
  @ApiProperty({ type: String }) head: string;
  @ApiProperty({ type: Number, description: 'Commits on the reality not on its base' })
  ahead: number;
}

export class RealityListResponseDto {
  @ApiProperty({ type: [RealityResponseDto] }) realities: RealityResponseDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class RealityAppliedDto {
  @ApiProperty({ type: String, example: 'applied' }) status: string;
  @ApiProperty({ type: String }) message: string;
  @ApiPropertyOptional({ type: CommitResponseDto, description: 'Absent when nothing changed' })
  commit?: CommitResponseDto;
}

const METRICS_SCHEMA = { type: 'object', additionalProperties: { type: 'number' } } as const;

export class BenchmarkRunDto {
  @ApiProperty({ type: String }) reality: string;
  @ApiProperty({ type: String, format: 'date-time' }) start_time: string;
  @ApiProperty({ type: String, format: 'date-time' }) end_time: string;
  @ApiProperty({ type: Number }) duration_ms: number;
  @ApiProperty(METRICS_SCHEMA) metrics: Record<string, number>;
}

export class BenchmarkResponseDto {
  @ApiProperty({ type: String }) reality: string;
  @ApiProperty({ type: BenchmarkRunDto }) benchmark: BenchmarkRunDto;
  @ApiProperty(METRICS_SCHEMA) metrics: Record<string, number>;
  @ApiProperty({ type: Number, description: 'Milliseconds' }) duration: number;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Reality score > base score; null without scores',
  })
  better: boolean | null;
}

export class RealityMergedDto {
  @ApiProperty({ type: String, example: 'merged' }) status: string;
  @ApiProperty({ type: String }) message: string;
  @ApiProperty({ type: String }) from: string;
  @ApiProperty({ type: String }) to: string;
  @ApiProperty({ type: Boolean }) fast_forward: boolean;
  @ApiProperty({ type: String }) commit: string;
}

export class RealityDeletedDto {
  @ApiProperty({ type: String, example: 'deleted' }) status: string;
  @ApiProperty({ type: String }) message: string;
}

/** An apply with the reality as the route named it. */
export interface RealityApplied {
  readonly reality: string;
  readonly commit: CommitResult | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function toRealityResponse(info: RealityInfo): RealityResponseDto {
  return {
    name: info.name,
    isolated: info.isolated,
    ephemeral: info.ephemeral,
    created_at: info.createdAt === null ? null : iso(info.createdAt),
    base: info.base,
    base_commit: info.baseCommit,
    head: info.head,
    ahead: info.ahead,
  };
}

export function toRealityList(infos: readonly RealityInfo[]): RealityListResponseDto {
  return { realities: infos.map(toRealityResponse), count: infos.length };
}

export function toRealityApplied({ reality, commit }: RealityApplied): RealityAppliedDto {
  const message = `changes applied to reality ${reality}`;
  return commit === undefined
    ? { status: 'applied', message }
    : { status: 'applied', message, commit: toCommitResponse(commit.oid, commit.commit) };
}

function toMetrics(metrics: BenchmarkMetrics): Record<string, number> {
  return { ...metrics };
}

export function toBenchmarkResponse(run: RealityBenchmark): BenchmarkResponseDto {
  const metrics = toMetrics(run.metrics);
  return {
    reality: run.reality,
    benchmark: {
      reality: run.reality,
      start_time: iso(run.startTime),
      end_time: iso(run.endTime),
      duration_ms: run.durationMs,
      metrics,
    },
    metrics,
    duration: run.durationMs,
    better: run.better,
  };
}

export function toRealityMerged(result: RealityMergeResult): RealityMergedDto {
  return {
    status: 'merged',
    message: `merged ${result.from} into ${result.to}`,
    from: result.from,
    to: result.to,
    fast_forward: result.fastForward,
    commit: result.commit,
  };
}

export function toRealityDeleted(reality: string): RealityDeletedDto {
  return { status: 'deleted', message: `reality ${reality} deleted` };
}
