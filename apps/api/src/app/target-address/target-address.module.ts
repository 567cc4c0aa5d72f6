import { Global, Module } from '@nestjs/common';
import { TargetAddressPolicy } from './target-address.policy';

@Global()
@Module({ providers: [TargetAddressPolicy], exports: [TargetAddressPolicy] })
export class TargetAddressModule {}
