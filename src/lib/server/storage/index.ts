export { BlobStore, type StoredBlob } from './blobs.js';
