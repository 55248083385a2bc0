/**
 * A map with a size bound that evicts the least recently used entry, and counts its hits,
 * misses and evictions. A Map iterates in insertion order, so re-inserting on every hit keeps
 * the least recently used entry first.
 */
export interface CacheCounters {
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      this.map.delete(this.map.keys().next().value as K);
      this.evictions++;
    }
  }

  clear(): void {
    this.map.clear();
  }

  counters(): CacheCounters {
    return { size: this.map.size, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }
}
