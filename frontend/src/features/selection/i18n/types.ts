/** The English bundle has the Chinese one's keys, each a string. */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
