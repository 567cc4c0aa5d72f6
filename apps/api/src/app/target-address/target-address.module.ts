import { Module } from '@nestjs/common';
import { TargetAddressPolicy } from './target-address.policy';

/** The one policy for every URL the server calls; imported by each module that calls out. */
@Module({ providers: [TargetAddressPolicy], exports: [TargetAddressPolicy] })
export class TargetAddressModule {}
