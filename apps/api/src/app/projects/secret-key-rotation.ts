import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, IsNull, Repository } from 'typeorm';
import { ProjectEntity } from './project.entity';
import { SecretBox } from './secret-box';

/**
 * Rotation of SEQPULSE_SECRET_KEY: started with the new key and SEQPULSE_SECRET_KEY_PREVIOUS set to the old one,
 * every HMAC secret still sealed with the old key is opened and sealed again with the new one (idempotent, so
 * every process may run it). Once a start has logged completion, SEQPULSE_SECRET_KEY_PREVIOUS can be removed.
 */
@Injectable()
export class SecretKeyRotation implements OnApplicationBootstrap {
  private readonly logger = new Logger(SecretKeyRotation.name);

  constructor(
    private readonly box: SecretBox,
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.box.rotating) await this.resealAll();
  }

  /** Re-seals what the previous key sealed; returns how many secrets were re-sealed. */
  async resealAll(): Promise<number> {
    const rows = await this.projects.find({ select: { id: true, hmacSecretEnc: true }, where: { hmacSecretEnc: Not(IsNull()) } });
    let resealed = 0;
    for (const row of rows) {
      if (!row.hmacSecretEnc || this.box.isCurrent(row.hmacSecretEnc)) continue;
      const plain = this.box.open(row.hmacSecretEnc);
      // Only if nobody changed it meanwhile (another process re-sealing, an owner rotating the secret).
      await this.projects.update({ id: row.id, hmacSecretEnc: row.hmacSecretEnc }, { hmacSecretEnc: this.box.seal(plain) });
      resealed++;
    }
    this.logger.log({ resealed, total: rows.length }, 'SEQPULSE_SECRET_KEY rotation: every HMAC secret is sealed with the new key');
    return resealed;
  }
}
