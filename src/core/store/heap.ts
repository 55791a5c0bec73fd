/**
 * A binary min-heap on `at`: the whole store's schedule behind its single timer. Entries live in two
 * parallel arrays (times unboxed, no object per entry). An entry does not move when its item is
 * rescheduled: the store skips one whose time is no longer the item's.
 */
export class MinHeap<T> {
  readonly at: number[] = [];
  readonly items: T[] = [];

  push(at: number, item: T): void {
    let i = this.at.length;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent]! <= at) break;
      this.#put(i, this.at[parent]!, this.items[parent]!);
      i = parent;
    }
    this.#put(i, at, item);
  }

  /** Removes the earliest entry. */
  pop(): void {
    const at = this.at.pop()!;
    const item = this.items.pop()!;
    const n = this.at.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.at[child + 1]! < this.at[child]!) child++;
      if (this.at[child]! >= at) break;
      this.#put(i, this.at[child]!, this.items[child]!);
      i = child;
    }
    this.#put(i, at, item);
  }

  clear(): void {
    this.at.length = this.items.length = 0;
  }

  #put(i: number, at: number, item: T): void {
    this.at[i] = at;
    this.items[i] = item;
  }
}
