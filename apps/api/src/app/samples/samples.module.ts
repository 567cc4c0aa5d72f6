import { Module } from '@nestjs/common';
import { SamplesStore } from './samples.store';

@Module({ providers: [SamplesStore], exports: [SamplesStore] })
export class SamplesModule {}
