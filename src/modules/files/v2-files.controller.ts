/**
 * Files on /api/v2 (api-contract.md §4): `…/files` with `?path=` (or a catch-all on delete),
 * `status: ""` envelopes, directory entries typed `tree`, no `files` key in tree listings.
 */
import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V2 } from '../../http/api-version';
import { ApiCatchAllPath, CatchAllPath, queryFilePath } from '../../http/catch-all-path';
import { Endpoint } from '../../http/endpoint.decorator';
import { SuccessResponseDto } from '../../http/success-response.dto';
import { AddFileDto } from './dto/add-file.dto';
import { MoveFileDto } from './dto/move-file.dto';
import { PathQueryDto, PathRefQueryDto } from './dto/path-query.dto';
import { ReadFileResponseDto } from './dto/read-file-response.dto';
import { TreeQueryDto, V2TreeQueryDto } from './dto/tree-query.dto';
import { V2TreeResponseDto, type TreeResponseDto } from './dto/tree-response.dto';
import { WriteFileDto } from './dto/write-file.dto';
import {
  FILE_CONTENT_ERRORS,
  MOVE_FILE_ERRORS,
  TREE_ERRORS,
  V2_READ_FILE_ERRORS,
  V2_REMOVE_FILE_ERRORS,
  REMOVE_FILE_ERRORS,
} from './files-route-errors';
import { FilesService } from './files.service';

const TREE_RESPONSES = [
  { status: 200, type: V2TreeResponseDto, description: 'Entries sorted by path' },
];

@ApiTags('v2-files')
@Controller(`${API_V2}/repos/:repo_id`)
export class V2FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('files')
  @Endpoint({
    summary: 'Write a file to the working tree and stage it',
    permission: 'repo:write',
    responses: [{ status: 201, type: SuccessResponseDto, description: 'Added' }],
    errors: FILE_CONTENT_ERRORS,
  })
  add(@Param('repo_id') repoId: string, @Body() body: AddFileDto): Promise<SuccessResponseDto> {
    return this.files.add(repoId, body, 'v2');
  }

  @Get('files')
  @Endpoint({
    summary: 'Read a file (?path=) of the working tree, or of a revision with ?ref=',
    permission: 'repo:read',
    responses: [{ status: 200, type: ReadFileResponseDto, description: 'The file' }],
    errors: V2_READ_FILE_ERRORS,
  })
  read(
    @Param('repo_id') repoId: string,
    @Query() query: PathRefQueryDto,
  ): Promise<ReadFileResponseDto> {
    return this.files.readV2(repoId, query.path, query.ref);
  }

  @Put('files')
  @Endpoint({
    summary: 'Write a file to the working tree only (not staged)',
    permission: 'repo:write',
    responses: [{ status: 201, type: SuccessResponseDto, description: 'Written' }],
    errors: FILE_CONTENT_ERRORS,
  })
  write(@Param('repo_id') repoId: string, @Body() body: WriteFileDto): Promise<SuccessResponseDto> {
    return this.files.write(repoId, body, 'v2');
  }

  @Delete('files')
  @Endpoint({
    summary: 'Remove a file or directory (?path=) from the working tree and the index',
    permission: 'repo:write',
    responses: [{ status: 200, type: SuccessResponseDto, description: 'Removed' }],
    errors: V2_REMOVE_FILE_ERRORS,
  })
  remove(
    @Param('repo_id') repoId: string,
    @Query() query: PathQueryDto,
  ): Promise<SuccessResponseDto> {
    return this.files.removeV2(repoId, query.path);
  }

  @Delete('files/*path')
  @ApiCatchAllPath('File or directory path')
  @Endpoint({
    summary: 'Remove a file or directory from the working tree and the index',
    permission: 'repo:write',
    responses: [{ status: 200, type: SuccessResponseDto, description: 'Removed' }],
    errors: REMOVE_FILE_ERRORS,
  })
  removePath(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
  ): Promise<SuccessResponseDto> {
    return this.files.removeV2(repoId, path);
  }

  @Post('files/move')
  @Endpoint({
    summary: 'Move a file or directory, staging both sides',
    permission: 'repo:write',
    responses: [{ status: 200, type: SuccessResponseDto, description: 'Moved' }],
    errors: MOVE_FILE_ERRORS,
  })
  move(@Param('repo_id') repoId: string, @Body() body: MoveFileDto): Promise<SuccessResponseDto> {
    return this.files.moveV2(repoId, body);
  }

  @Get('tree')
  @Endpoint({
    summary: 'List a directory (?path=, default the root) of the working tree or a revision',
    permission: 'repo:read',
    responses: TREE_RESPONSES,
    errors: TREE_ERRORS,
  })
  tree(
    @Param('repo_id') repoId: string,
    @Query() query: V2TreeQueryDto,
  ): Promise<TreeResponseDto | V2TreeResponseDto> {
    return this.files.tree(repoId, queryFilePath(query.path ?? ''), query, 'v2');
  }

  @Get('tree/*path')
  @ApiCatchAllPath('Directory or file path')
  @Endpoint({
    summary: 'List a directory (or one file) of the working tree or a revision',
    permission: 'repo:read',
    responses: TREE_RESPONSES,
    errors: TREE_ERRORS,
  })
  treePath(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
    @Query() query: TreeQueryDto,
  ): Promise<TreeResponseDto | V2TreeResponseDto> {
    return this.files.tree(repoId, path, query, 'v2');
  }
}
