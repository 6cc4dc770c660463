// VMREAD/VMWRITE on the VMCS store: the hottest path of nvmx.
const BATCH = 4096;

export function suite({ Vmcs, VMCS_FIELDS }) {
  const vmcs = new Vmcs();
  // A mix of every width, and the high half of 64-bit fields, in a fixed pseudo-random order.
  const encodings = VMCS_FIELDS.filter((field) => field.type !== "read-only").flatMap((field) =>
    field.width === "64" ? [field.encoding, field.encoding | 1] : [field.encoding],
  );
  const order = new Int32Array(BATCH);
  let seed = 12345;
  for (let i = 0; i < BATCH; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    order[i] = encodings[seed % encodings.length];
  }
  let sink = 0;
  return [
    {
      name: "vmcs.vmread",
      unit: "ns",
      batch: BATCH,
      run() {
        for (let i = 0; i < BATCH; i++) sink ^= vmcs.vmread(order[i]) | vmcs.readLo;
      },
    },
    {
      name: "vmcs.vmwrite",
      unit: "ns",
      batch: BATCH,
      run() {
        for (let i = 0; i < BATCH; i++) sink ^= vmcs.vmwrite(order[i], i, sink);
      },
    },
  ];
}
