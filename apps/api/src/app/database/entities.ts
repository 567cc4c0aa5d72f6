import { UserEntity } from '../auth/user.entity';
import { SessionEntity } from '../auth/session.entity';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { ProjectEntity } from '../projects/project.entity';

export const ALL_ENTITIES = [UserEntity, SessionEntity, ApiKeyEntity, ProjectEntity];
