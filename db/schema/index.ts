export * from './org.js';
export * from './platform.js';
export * from './observations.js';
export * from './deadlines.js';
export * from './dropout.js';
export * from './notices.js';
export * from './delivery.js';
export * from './people.js';
