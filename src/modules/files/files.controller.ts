/** Files of the working state and of commits on /api/v1 (api-contract.md §3.2 add, §3.3). */
import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import { Endpoint } from '../../http/endpoint.decorator';
import { SuccessResponseDto } from '../../http/success-response.dto';
import { AddFileDto } from './dto/add-file.dto';
import { MoveFileDto } from './dto/move-file.dto';
import { MoveResponseDto } from './dto/move-response.dto';
import { ReadFileResponseDto } from './dto/read-file-response.dto';
import { RefQueryDto } from './dto/ref-query.dto';
import { RemoveResponseDto } from './dto/remove-response.dto';
import { TreeQueryDto } from './dto/tree-query.dto';
import { TreeResponseDto, type V2TreeResponseDto } from './dto/tree-response.dto';
import { WriteFileDto } from './dto/write-file.dto';
import {
  FILE_CONTENT_ERRORS,
  MOVE_FILE_ERRORS,
  READ_FILE_ERRORS,
  REMOVE_FILE_ERRORS,
  TREE_ERRORS,
} from './files-route-errors';
import { FilesService } from './files.service';

const TREE_RESPONSES = [
  { status: 200, type: TreeResponseDto, description: 'Entries sorted by path' },
];

@ApiTags('files')
@Controller(`${API_V1}/repos/:repo_id`)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('add')
  @Endpoint({
    summary: 'Write a file to the working tree and stage it',
    permission: 'repo:write',
    responses: [{ status: 201, type: SuccessResponseDto, description: 'Added' }],
    errors: FILE_CONTENT_ERRORS,
  })
  add(@Param('repo_id') repoId: string, @Body() body: AddFileDto): Promise<SuccessResponseDto> {
    return this.files.add(repoId, body, 'v1');
  }

  @Post('write')
  @Endpoint({
    summary: 'Write a file to the working tree only (not staged)',
    permission: 'repo:write',
    responses: [{ status: 200, type: SuccessResponseDto, description: 'Written' }],
    errors: FILE_CONTENT_ERRORS,
  })
  write(@Param('repo_id') repoId: string, @Body() body: WriteFileDto): Promise<SuccessResponseDto> {
    return this.files.write(repoId, body, 'v1');
  }

  @Get('read{/*path}')
  @ApiCatchAllPath('File path')
  @Endpoint({
    summary: 'Read a file of the working tree, or of a revision with ?ref=',
    permission: 'repo:read',
    responses: [{ status: 200, type: ReadFileResponseDto, description: 'The file' }],
    errors: READ_FILE_ERRORS,
  })
  read(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
    @Query() query: RefQueryDto,
  ): Promise<ReadFileResponseDto> {
    return this.files.read(repoId, path, query.ref, 'v1');
  }

  @Get('tree')
  @Endpoint({
    summary: 'List the root of the working tree, or of a revision with ?ref=',
    permission: 'repo:read',
    responses: TREE_RESPONSES,
    errors: TREE_ERRORS,
  })
  tree(
    @Param('repo_id') repoId: string,
    @Query() query: TreeQueryDto,
  ): Promise<TreeResponseDto | V2TreeResponseDto> {
    return this.files.tree(repoId, '', query, 'v1');
  }

  @Get('tree/*path')
  @ApiCatchAllPath('Directory or file path')
  @Endpoint({
    summary: 'List a directory (or one file) of the working tree, or of a revision',
    permission: 'repo:read',
    responses: TREE_RESPONSES,
    errors: TREE_ERRORS,
  })
  treePath(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
    @Query() query: TreeQueryDto,
  ): Promise<TreeResponseDto | V2TreeResponseDto> {
    return this.files.tree(repoId, path, query, 'v1');
  }

  @Delete('remove{/*path}')
  @ApiCatchAllPath('File or directory path')
  @Endpoint({
    summary: 'Remove a file or directory from the working tree and the index',
    permission: 'repo:write',
    responses: [{ status: 200, type: RemoveResponseDto, description: 'Removed' }],
    errors: REMOVE_FILE_ERRORS,
  })
  remove(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
  ): Promise<RemoveResponseDto> {
    return this.files.remove(repoId, path);
  }

  @Post('move')
  @Endpoint({
    summary: 'Move a file or directory, staging both sides',
    permission: 'repo:write',
    responses: [{ status: 200, type: MoveResponseDto, description: 'Moved' }],
    errors: MOVE_FILE_ERRORS,
  })
  move(@Param('repo_id') repoId: string, @Body() body: MoveFileDto): Promise<MoveResponseDto> {
    return this.files.move(repoId, body);
  }
}
