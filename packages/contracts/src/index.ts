export * from './common';
export * from './errors';
export * from './auth';
export * from './account';
export * from './admin';
export * from './mail';
export * from './site';
export * from './live';
