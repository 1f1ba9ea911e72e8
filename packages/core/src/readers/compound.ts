// The directory of an OLE compound file ([MS-CFB]), read just far enough to name the entries under
// its root: an old .doc holds "WordDocument", an .xls "Workbook" (or "Book" before Excel 97), and a
// password-protected .docx/.xlsx "EncryptedPackage". Looking for those names anywhere in the bytes
// is not enough: a .doc with an Excel table pasted in holds a "Workbook" in its ObjectPool.

const HEADER_FAT_SLOTS = 109;
const DIR_ENTRY = 128;
const MAX_REGULAR_SECTOR = 0xfffffff9;
const NOSTREAM = 0xffffffff;

/** The names directly under the root storage, or null when the header or directory is damaged. */
export function compoundRootNames(bytes: Uint8Array): string[] | null {
  if (bytes.length < 512) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shift = view.getUint16(30, true);
  if (shift !== 9 && shift !== 12) return null;
  const size = 2 ** shift;
  const sectorCount = Math.floor(bytes.length / size); // bounds every walk below
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : null);
  const at = (sector: number) => (sector + 1) * size;

  const fat = fatSectors(u32, at, size, Math.min(view.getUint32(44, true), sectorCount));
  if (!fat) return null;
  const next = (sector: number) => {
    const fatSector = fat[Math.floor(sector / (size / 4))];
    return fatSector === undefined ? null : u32(at(fatSector) + (sector % (size / 4)) * 4);
  };
  const dir: number[] = [];
  for (let s = u32(48); s !== null && s <= MAX_REGULAR_SECTOR && dir.length < sectorCount; s = next(s)) dir.push(s);

  const entry = (id: number) => {
    const sector = dir[Math.floor((id * DIR_ENTRY) / size)];
    if (sector === undefined) return null;
    const base = at(sector) + ((id * DIR_ENTRY) % size);
    if (base + DIR_ENTRY > bytes.length) return null;
    const units = Math.max(Math.min(view.getUint16(base + 64, true), 64) - 2, 0) >> 1; // the length counts the final NUL
    const name = String.fromCharCode(...Array.from({ length: units }, (_, i) => view.getUint16(base + i * 2, true)));
    return { name, left: view.getUint32(base + 68, true), right: view.getUint32(base + 72, true), child: view.getUint32(base + 76, true) };
  };
  const root = entry(0);
  if (!root) return null;
  const names: string[] = [];
  const seen = new Set<number>();
  for (const stack = [root.child]; stack.length; ) {
    const id = stack.pop() as number;
    if (id === NOSTREAM || seen.has(id)) continue;
    seen.add(id);
    const e = entry(id);
    if (!e) return null;
    names.push(e.name);
    stack.push(e.left, e.right);
  }
  return names;
}

/** Where the FAT lives: the header's 109 slots, then the DIFAT chain. */
function fatSectors(u32: (at: number) => number | null, at: (sector: number) => number, size: number, count: number): number[] | null {
  const list: number[] = [];
  for (let i = 0; i < Math.min(count, HEADER_FAT_SLOTS); i++) list.push(u32(76 + i * 4) as number);
  for (let difat = u32(68); list.length < count; difat = u32(at(difat) + size - 4)) {
    if (difat === null || difat > MAX_REGULAR_SECTOR) return null;
    for (let i = 0; i < size / 4 - 1 && list.length < count; i++) {
      const s = u32(at(difat) + i * 4);
      if (s === null) return null;
      list.push(s);
    }
  }
  return list;
}
