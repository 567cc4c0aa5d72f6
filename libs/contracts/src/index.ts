export * from './lib/metrics';
export * from './lib/errors';
export * from './lib/auth';
export * from './lib/projects';
export * from './lib/monitoring';
export * from './lib/deployments';
export * from './lib/dashboard';
export * from './lib/alerts';
