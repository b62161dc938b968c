export {};
export * from './file-storage/model/index.js';
