/**
 * A binary min-heap on `at`: the whole store's schedule behind its single timer. Entries live in three
 * parallel arrays (times unboxed, no object per entry); `tags` let a rescheduled item leave its old
 * entry behind (it is skipped when its tag is no longer the item's).
 */
export class MinHeap<T> {
  readonly at: number[] = [];
  readonly items: T[] = [];
  readonly tags: number[] = [];

  push(at: number, item: T, tag: number): void {
    let i = this.at.length;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent]! <= at) break;
      this.#put(i, this.at[parent]!, this.items[parent]!, this.tags[parent]!);
      i = parent;
    }
    this.#put(i, at, item, tag);
  }

  /** Removes the earliest entry. */
  pop(): void {
    const at = this.at.pop()!;
    const item = this.items.pop()!;
    const tag = this.tags.pop()!;
    const n = this.at.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.at[child + 1]! < this.at[child]!) child++;
      if (this.at[child]! >= at) break;
      this.#put(i, this.at[child]!, this.items[child]!, this.tags[child]!);
      i = child;
    }
    this.#put(i, at, item, tag);
  }

  clear(): void {
    this.at.length = this.items.length = this.tags.length = 0;
  }

  #put(i: number, at: number, item: T, tag: number): void {
    this.at[i] = at;
    this.items[i] = item;
    this.tags[i] = tag;
  }
}
