/** Time travel (api-contract.md §9): snapshots and file reads at a point in time. */
import { Module } from '@nestjs/common';
import { TimeTravelController } from './time-travel.controller';
import { TimeTravelService } from './time-travel.service';

@Module({ controllers: [TimeTravelController], providers: [TimeTravelService] })
export class TimeTravelModule {}
