/** Parallel realities (api-contract.md §8): copy-on-write `parallel/*` branches. */
import { Module } from '@nestjs/common';
import { RealitiesController } from './realities.controller';
import { RealitiesService } from './realities.service';

@Module({ controllers: [RealitiesController], providers: [RealitiesService] })
export class RealitiesModule {}
