// The WHATWG TextDecoder, a global in Node and in browsers. Declared here so the core builds with
// no DOM or Node typings (it must not reach for either).
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
