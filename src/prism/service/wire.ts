// The protobuf wire format, as far as the token messages need it: varints, length-delimited fields,
// and skipping whatever else a newer client sends. Hand-written because these two messages use four
// field kinds; a protobuf runtime plus generated code would outweigh the whole service.

export class WireError extends Error {
  override readonly name: string = 'WireError';
}

export type Field = { number: number; varint: bigint } | { number: number; bytes: Uint8Array };

/** The fields of one message, in order. Throws a `WireError` on anything that is not protobuf. */
export function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (at >= bytes.length) throw new WireError('truncated varint');
      const byte = bytes[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value & 0xffff_ffff_ffff_ffffn;
    }
    throw new WireError('varint too long');
  };
  const skip = (n: number): number => {
    if (at + n > bytes.length) throw new WireError('truncated field');
    const start = at;
    at += n;
    return start;
  };
  while (at < bytes.length) {
    const tag = varint();
    const number = Number(tag >> 3n);
    if (number < 1 || number > 536_870_911) throw new WireError('invalid field number');
    switch (Number(tag & 7n)) {
      case 0:
        fields.push({ number, varint: varint() });
        break;
      case 1:
        skip(8);
        break;
      case 2: {
        const length = varint();
        if (length > BigInt(bytes.length)) throw new WireError('truncated field');
        const start = skip(Number(length));
        fields.push({ number, bytes: bytes.subarray(start, at) });
        break;
      }
      case 5:
        skip(4);
        break;
      default:
        // Groups (3, 4) are proto2 only; 6 and 7 do not exist.
        throw new WireError('unsupported wire type');
    }
  }
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function fieldString(field: Field): string {
  if (!('bytes' in field)) throw new WireError(`field ${field.number} must be length-delimited`);
  try {
    return utf8.decode(field.bytes);
  } catch {
    throw new WireError(`field ${field.number} is not UTF-8`);
  }
}

export function fieldVarint(field: Field): bigint {
  if (!('varint' in field)) throw new WireError(`field ${field.number} must be a varint`);
  return field.varint;
}

/** Appends fields; `finish` returns the message. */
export class Writer {
  readonly #parts: number[] = [];

  #varint(value: bigint): void {
    let rest = BigInt.asUintN(64, value);
    while (rest >= 0x80n) {
      this.#parts.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.#parts.push(Number(rest));
  }

  varint(number: number, value: bigint | number | boolean): this {
    this.#varint(BigInt(number << 3));
    this.#varint(BigInt(typeof value === 'boolean' ? Number(value) : value));
    return this;
  }

  bytes(number: number, value: Uint8Array): this {
    this.#varint(BigInt((number << 3) | 2));
    this.#varint(BigInt(value.length));
    for (const byte of value) this.#parts.push(byte);
    return this;
  }

  string(number: number, value: string): this {
    return this.bytes(number, new TextEncoder().encode(value));
  }

  finish(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.#parts);
  }
}
