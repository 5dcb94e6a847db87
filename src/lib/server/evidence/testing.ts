import sharp from 'sharp';

/** Test pictures drawn with sharp: a few coloured bands, so that phash and redaction have something to see. */
export async function picture(
  opts: {
    width?: number;
    height?: number;
    hue?: number;
    gps?: boolean;
    format?: 'jpeg' | 'png';
    quality?: number;
  } = {},
): Promise<Buffer> {
  const width = opts.width ?? 800;
  const height = opts.height ?? 600;
  const hue = opts.hue ?? 0;
  const bands = Array.from({ length: 6 }, (_, i) => {
    const h = (hue + i * 47) % 360;
    return `<rect x="${(i * width) / 6}" y="0" width="${width / 6 + 1}" height="${height}" fill="hsl(${h},70%,${30 + i * 8}%)"/>`;
  }).join('');
  // Where the circle and the bar sit depends on the hue, so that two test pictures differ in structure, not only in
  // colour (a perceptual hash looks at structure).
  const cx = width * (0.2 + ((hue % 360) / 360) * 0.6);
  const bar = height * (0.1 + (((hue * 7) % 360) / 360) * 0.7);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${bands}` +
    `<circle cx="${cx}" cy="${height / 2}" r="${height / 4}" fill="white"/>` +
    `<rect x="0" y="${bar}" width="${width}" height="${height / 12}" fill="black"/></svg>`;
  let img = sharp(Buffer.from(svg));
  if (opts.format === 'png') return img.png().toBuffer();
  img = img.jpeg({ quality: opts.quality ?? 90 });
  if (opts.gps)
    img = img.withExif({
      IFD0: { Make: 'TestCam', Model: 'X100', Software: 'corridor-test' },
      IFD2: { DateTimeOriginal: '2023:01:02 10:11:12' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 48/1 54/1', GPSLongitudeRef: 'E', GPSLongitude: '46/1 45/1 7/1' },
    });
  return img.toBuffer();
}

/** A multipart body with one file, as a browser form sends it. */
export function formWith(name: string, bytes: Uint8Array, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}
