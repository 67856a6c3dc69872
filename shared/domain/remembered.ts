/**
 * `compute` with its answers remembered per key, for the life of a container. Keys that come from
 * requests (language tags) are endless in theory, so only the first `most` answers are kept; a key
 * past them is computed each time, and memory stays bounded.
 */
export function rememberedPerKey<Answer>(
  compute: (key: string) => Answer,
  most = 500,
): (key: string) => Answer {
  const answers = new Map<string, Answer>();
  return (key) => {
    if (answers.has(key)) return answers.get(key) as Answer;
    const answer = compute(key);
    if (answers.size < most) answers.set(key, answer);
    return answer;
  };
}

/**
 * `build`'s value, built at the first call and kept for the life of a container: for what a cold
 * start need not build (a schema, a formatter) because a request may never ask for it.
 */
export function builtOnFirstUse<Value>(build: () => Value): () => Value {
  let built: { readonly value: Value } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
