/** Transactions (api-contract.md §7): private overlays over a branch, committed in one go. */
import { Module } from '@nestjs/common';
import { TransactionController, TransactionsAliasController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

@Module({
  controllers: [TransactionController, TransactionsAliasController],
  providers: [TransactionsService],
  exports: [TransactionsService],
})
export class TransactionsModule {}
