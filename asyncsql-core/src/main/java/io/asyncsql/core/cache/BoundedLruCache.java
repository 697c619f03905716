package io.asyncsql.core.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A concurrent cache with a fixed capacity that evicts the least recently used entries when full.
 * <p>
 * Reads take no lock and write only a plain access stamp, so a hit costs little more than a hash lookup.
 * Recency is approximate under concurrency (stamps may race), which is fine for caches of derived values such as
 * lexed SQL or validation verdicts: an early eviction only costs a recomputation.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BoundedLruCache<K, V> {

	private final int capacity;

	private final ConcurrentHashMap<K, Entry<V>> entries;

	private final ReentrantLock evictionLock = new ReentrantLock();

	// racy on purpose: an approximate clock is enough to order entries by recency
	private long clock;

	/**
	 * Creates a cache.
	 * @param capacity the most entries kept, {@code >= 1}
	 */
	public BoundedLruCache(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be >= 1 but was " + capacity);
		}
		this.capacity = capacity;
		this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1024) * 2);
	}

	/**
	 * Returns the cached value for {@code key}, computing and caching it when absent.
	 * @param key the key
	 * @param loader computes the value; must not return {@code null}
	 * @return the value
	 */
	public V get(K key, Function<? super K, ? extends V> loader) {
		Entry<V> entry = this.entries.get(key);
		if (entry == null) {
			entry = this.entries.computeIfAbsent(key, k -> new Entry<>(loader.apply(k)));
			if (this.entries.size() > this.capacity) {
				evict();
			}
		}
		entry.lastAccess = ++this.clock;
		return entry.value;
	}

	/**
	 * Returns the cached value without computing one.
	 * @param key the key
	 * @return the value, or {@code null}
	 */
	public V getIfPresent(K key) {
		Entry<V> entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		entry.lastAccess = ++this.clock;
		return entry.value;
	}

	/** @return the number of entries */
	public int size() {
		return this.entries.size();
	}

	/** @return the most entries kept */
	public int capacity() {
		return this.capacity;
	}

	/** Removes every entry. */
	public void clear() {
		this.entries.clear();
	}

	private void evict() {
		if (!this.evictionLock.tryLock()) {
			return; // another thread is already making room
		}
		try {
			int excess = this.entries.size() - this.capacity;
			if (excess <= 0) {
				return;
			}
			// drop a tenth more than needed so that eviction does not run on every insert
			int toRemove = excess + Math.max(1, this.capacity / 10);
			List<Map.Entry<K, Entry<V>>> snapshot = new ArrayList<>(this.entries.entrySet());
			snapshot.sort(Comparator.comparingLong(e -> e.getValue().lastAccess));
			for (int i = 0; i < toRemove && i < snapshot.size(); i++) {
				this.entries.remove(snapshot.get(i).getKey(), snapshot.get(i).getValue());
			}
		}
		finally {
			this.evictionLock.unlock();
		}
	}

	private static final class Entry<V> {

		final V value;

		long lastAccess;

		Entry(V value) {
			this.value = value;
		}

	}

}
