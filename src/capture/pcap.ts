// Capture files: the readers (pcap, pcapng), the writer, and the cooked header of netlink frames.
export * from './cooked.js';
export * from './reader.js';
export * from './writer.js';
export * from './pcapng-writer.js';
