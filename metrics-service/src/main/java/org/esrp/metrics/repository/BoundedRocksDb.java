package org.esrp.metrics.repository;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * One bounded budget for every RocksDB store of the instance (one per partition it owns or stands by for): a shared
 * block cache of 32 MiB that also accounts the memtables (at most 16 MiB of it), so native memory does not grow with
 * the number of partitions or ratings. The working aggregates live in the heap, so the stores are read only to dedupe
 * (a look-up that the Bloom filters mostly answer) and when a partition is loaded: the 48 MiB cache of before only held
 * more resident memory. Smaller memtables (8 MiB) were tried and saved nothing measurable.
 */
public class BoundedRocksDb implements RocksDBConfigSetter {

    private static final long CACHE = 32L << 20;
    private static final long MEMTABLES = 16L << 20;
    private static final Cache SHARED = new LRUCache(CACHE, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLES, SHARED);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(SHARED);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(4L << 20);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }
}
