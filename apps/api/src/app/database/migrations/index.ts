import { Foundation1764400000000 } from './1764400000000-foundation';

/** In order of application. A new migration is appended here. */
export const ALL_MIGRATIONS = [Foundation1764400000000];
