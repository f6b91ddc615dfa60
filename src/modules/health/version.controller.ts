/** GET /version: the build and runtime of this server (api-contract.md §12). */
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BUILD_INFO } from '../../build-info';
import { Endpoint } from '../../http/endpoint.decorator';
import { VersionResponseDto } from './dto/version-response.dto';

@ApiTags('version')
@Controller('version')
export class VersionController {
  @Get()
  @Endpoint({
    summary: 'Server version and build',
    public: true,
    responses: [{ status: 200, type: VersionResponseDto, description: 'Version information' }],
  })
  get(): VersionResponseDto {
    return {
      version: BUILD_INFO.version,
      go_version: `node ${BUILD_INFO.node_version}`,
      node_version: BUILD_INFO.node_version,
      build_time: BUILD_INFO.build_time,
      git_commit: BUILD_INFO.git_commit,
      api_version: 'v1',
    };
  }
}
