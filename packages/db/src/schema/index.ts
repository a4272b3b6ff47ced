export * from './users';
export * from './sessions';
export * from './mail';
export * from './platform';
export * from './live';
export * from './consultations';
export * from './participation';
export * from './moderation';
