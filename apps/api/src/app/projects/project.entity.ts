import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Plan } from '@seqpulse/contracts';

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'owner_id' }) ownerId!: string;
  @Column('text') name!: string;
  @Column('text') plan!: Plan;
  @Column('text', { array: true }) envs!: string[];
  @Column('text', { name: 'metrics_endpoint' }) metricsEndpoint!: string;
  @Column('boolean', { name: 'hmac_enabled' }) hmacEnabled!: boolean;
  /** AES-256-GCM ciphertext (see SecretBox): we must sign with it, so it cannot be a one-way hash. */
  @Column('text', { name: 'hmac_secret_enc', nullable: true, select: false }) hmacSecretEnc!: string | null;
  @Column('integer', { name: 'poll_interval_s' }) pollIntervalS!: number;
  /** Minutes after a finished deployment during which samples are `post` (the observation window). */
  @Column('integer', { name: 'post_window_min', default: 30 }) postWindowMin!: number;
  /** Seeded by the demo. */
  @Column('boolean', { default: false }) demo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
