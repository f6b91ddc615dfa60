/** Server-side hook requests and responses (api-contract.md §6.6). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsBoolean,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { MAX_SCRIPT_BYTES, MAX_STDIN_BYTES } from '../server-hook-limits';
import type { ExecutionReport } from '../server-hook.service';
import type { StoredServerHook } from '../server-hook-store';
import { createHash } from 'node:crypto';

const ENVIRONMENT_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description:
    'Extra variables; names match ^[A-Z_][A-Z0-9_]*$ and may not be PATH or GOVC_* ' +
    '(else 400 INVALID_ENVIRONMENT)',
  example: { LINT_LEVEL: 'strict' },
} as const;

export class PutServerHookDto {
  @ApiProperty({
    type: String,
    description: `The script (≤ ${MAX_SCRIPT_BYTES} bytes); run directly when it starts with #!, else by hooks.server_hooks.shell`,
    example: '#!/bin/sh\ngrep -q TODO -r . && exit 1\nexit 0\n',
  })
  @IsString()
  @MinLength(1)
  script: string;

  @ApiPropertyOptional({
    type: Number,
    description: 'Seconds; default hooks.server_hooks.default_timeout, at most max_timeout',
    example: 30,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  timeout?: number;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false: never runs by itself' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional(ENVIRONMENT_SCHEMA)
  @Allow()
  environment?: unknown;
}

export class ExecuteServerHookDto {
  @ApiPropertyOptional({
    type: String,
    description: 'An ad-hoc script (needs system:admin); without it the configured hook runs',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  script?: string;

  @ApiPropertyOptional(ENVIRONMENT_SCHEMA)
  @Allow()
  environment?: unknown;

  @ApiPropertyOptional({ type: Number, description: 'Seconds; default the hook’s own timeout' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  timeout?: number;

  @ApiPropertyOptional({ type: String, description: 'GOVC_BRANCH; default the current branch' })
  @IsOptional()
  @IsString()
  branch?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'GOVC_COMMIT and the checkout (any ref); default the branch head',
  })
  @IsOptional()
  @IsString()
  commit?: string;

  @ApiPropertyOptional({ type: String, description: 'Written to the script’s standard input' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_STDIN_BYTES)
  stdin?: string;
}

export class ServerHookDto {
  @ApiProperty({ type: String, example: 'pre-commit' }) hook_type: string;
  @ApiProperty({ type: String }) script: string;
  @ApiProperty({ type: String, description: 'hex SHA-256 of the script bytes' })
  script_sha256: string;
  @ApiProperty({ type: Boolean }) enabled: boolean;
  @ApiProperty({ type: Number, description: 'seconds' }) timeout: number;
  @ApiProperty(ENVIRONMENT_SCHEMA) environment: Record<string, string>;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Username of the admin who set it; null with auth disabled',
  })
  updated_by: string | null;
}

export class ServerHookListDto {
  @ApiProperty({ type: [ServerHookDto] }) hooks: ServerHookDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class HookExecutionDto {
  @ApiProperty({ type: Boolean, description: 'exit code 0 and no timeout' }) success: boolean;
  @ApiProperty({ type: Number, description: '124 after a timeout' }) exit_code: number;
  @ApiProperty({ type: String, description: 'stdout and stderr interleaved, capped' })
  output: string;
  @ApiPropertyOptional({ type: String, description: 'Why it failed (absent on success)' })
  error?: string;
  @ApiProperty({ type: Number }) duration_ms: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The GOVC_* variables and the request’s own environment',
  })
  environment: Record<string, string>;
  @ApiProperty({ type: Boolean }) timed_out: boolean;
  @ApiProperty({ type: Boolean, description: 'output was cut at hooks.server_hooks.max_output' })
  truncated: boolean;
}

export function scriptSha256(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

export function toServerHookResponse(type: string, hook: StoredServerHook): ServerHookDto {
  return {
    hook_type: type,
    script: hook.script,
    script_sha256: scriptSha256(hook.script),
    enabled: hook.enabled,
    timeout: hook.timeout,
    environment: { ...hook.environment },
    updated_at: hook.updatedAt,
    updated_by: hook.updatedBy,
  };
}

export function toHookExecutionResponse(report: ExecutionReport): HookExecutionDto {
  const { result } = report;
  const success = result.exitCode === 0 && !result.timedOut;
  return {
    success,
    exit_code: result.exitCode,
    output: result.output,
    ...(success ? {} : { error: failureReason(result) }),
    duration_ms: result.durationMs,
    environment: report.environment,
    timed_out: result.timedOut,
    truncated: result.truncated,
  };
}

function failureReason(result: ExecutionReport['result']): string {
  if (result.timedOut) return 'hook timed out';
  if (result.signal !== null) return `hook killed by ${result.signal}`;
  return `hook exited with code ${result.exitCode}`;
}
