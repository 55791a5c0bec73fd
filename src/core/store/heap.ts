/** An entry of the schedule; `version` lets a rescheduled source leave its old entry behind. */
export interface Due<T> {
  at: number;
  item: T;
  version: number;
}

/** A binary min-heap on `at`: the whole store's schedule behind its single timer. */
export class MinHeap<T> {
  readonly #items: Due<T>[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Due<T> | undefined {
    return this.#items[0];
  }

  push(entry: Due<T>): void {
    const items = this.#items;
    let i = items.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= entry.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): Due<T> | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.#items.length = 0;
  }
}
