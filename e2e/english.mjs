// English on a German user's screen: the check the German pass runs on every answer. The
// vocabulary comes from e2e/english.py (written by run.py): the catalogs' English sentences,
// the words only English texts use, every word German texts use, the level and workshop names.
import fs from 'node:fs';

const URL = /\bhttps?:\/\/\S+/g;
const WORD = /\p{L}+(?:'\p{L}+)?/gu;

/**
 * A check for `Chat.addCheck`: the English sentences an answer shows, and its lines with at
 * least as many English-only words as German ones (the level and workshop names and links
 * aside). A finding is marked known when a line "<step>: <part>" of `knownFile` names its
 * step (or none) and a part of its text (`#` starts a comment line).
 */
export function englishCheck(vocabularyFile, knownFile) {
  const vocabulary = JSON.parse(fs.readFileSync(vocabularyFile, 'utf8'));
  const englishWords = new Set(vocabulary.english_words);
  const germanWords = new Set(vocabulary.german_words);
  const known = fs
    .readFileSync(knownFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const colon = line.indexOf(': ');
      return { step: line.slice(0, colon), part: line.slice(colon + 2) };
    });
  return (text, step) => {
    const found = new Set();
    const flat = text.replace(/\s+/g, ' ');
    for (const sentence of vocabulary.sentences) if (flat.includes(sentence)) found.add(sentence);
    for (const line of text.split('\n')) {
      let rest = line.replace(URL, ' ');
      for (const name of vocabulary.names) rest = rest.replaceAll(name, ' ');
      const words = (rest.match(WORD) || []).map((w) => w.toLowerCase()).filter((w) => w.length > 1);
      const english = words.filter((w) => englishWords.has(w)).length;
      const german = words.filter((w) => germanWords.has(w)).length;
      if (english > 0 && english >= german) found.add(line.trim());
    }
    const isKnown = (t) => known.some((k) => (!k.step || k.step === step) && t.includes(k.part));
    return [...found].map((t) => ({ text: t, known: isKnown(t) }));
  };
}
