export * from './client';
export * from './like';
export * from './schema/index';
export * from './test-database';
