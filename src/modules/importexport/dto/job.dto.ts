/** Job shapes and the jobs list query (api-contract.md §11.2). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../http/page-query.dto';
import { JOB_STATUSES, JOB_TYPES, publicJob, type Job } from '../jobs/job';

export class JobProgressDto {
  @ApiProperty({ type: String, example: 'objects' }) phase: string;
  @ApiProperty({ type: Number }) current: number;
  @ApiProperty({ type: Number }) total: number;
  @ApiProperty({ type: Number, minimum: 0, maximum: 100 }) percent: number;
  @ApiProperty({ type: String }) message: string;
}

export class JobErrorDto {
  @ApiProperty({ type: String }) error: string;
  @ApiProperty({ type: String, example: 'IMPORT_FAILED' }) code: string;
}

export class JobDto {
  @ApiProperty({ type: String, example: 'job_3f2c…' }) id: string;
  @ApiProperty({ enum: JOB_TYPES }) type: string;
  @ApiProperty({ enum: JOB_STATUSES }) status: string;
  @ApiProperty({ type: JobProgressDto }) progress: JobProgressDto;
  @ApiPropertyOptional({ type: String }) repo_id?: string;
  @ApiProperty({ type: String, description: 'User id, or "anonymous" while auth is off' })
  created_by: string;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at: string | null;
  @ApiPropertyOptional({ type: Object, description: 'Type-specific outcome' })
  result?: Record<string, unknown>;
  @ApiPropertyOptional({ type: JobErrorDto }) error?: JobErrorDto;
}

export class JobListDto {
  @ApiProperty({ type: [JobDto] }) jobs: JobDto[];
  @ApiProperty({ type: Number }) count: number;
}

/** The 202 answer of a route that started a job. */
export class JobAcceptedDto {
  @ApiProperty({ type: String }) job_id: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'queued' }) status: string;
  @ApiProperty({ enum: JOB_TYPES }) type: string;
  @ApiPropertyOptional({ type: String }) repo_id?: string;
  @ApiPropertyOptional({ type: String, description: 'Backups only' }) backup_id?: string;
}

export class JobListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOptional()
  @IsIn(JOB_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: string;
}

export function toJobDto(job: Job): JobDto {
  return publicJob(job);
}

export function toJobAccepted(job: Job, extra: { backup_id?: string } = {}): JobAcceptedDto {
  return {
    job_id: job.id,
    status: job.status,
    type: job.type,
    ...(job.repo_id === undefined ? {} : { repo_id: job.repo_id }),
    ...extra,
  };
}
