// The client library in one import: REST client, informers, listers, workqueue, events.

export * from './api-status-error.js';
export * from './event-recorder.js';
export * from './indexer.js';
export * from './informer.js';
export * from './kube-object.js';
export * from './lister.js';
export * from './rate-limiter.js';
export * from './rest-client.js';
export * from './token-bucket.js';
export * from './watch-decoder.js';
export * from './workqueue.js';
