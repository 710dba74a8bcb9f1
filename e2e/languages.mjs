// The wrong language on a user's screen: English for a German user, German for an English one;
// the check both passes of `make e2e` run on every answer. The vocabulary comes from
// e2e/languages.py (written by run.py): each language's sentences, mostly-its-own words and the
// level and workshop names its users see.
import fs from 'node:fs';

const URL = /\bhttps?:\/\/\S+/g;
const WORD = /\p{L}+(?:'\p{L}+)?/gu;

/**
 * A check for `Chat.addCheck` for a user of `language`: the other language's sentences an
 * answer shows, and its lines with at least as many of the other language's words as of the
 * user's (the level and workshop names and links aside). A finding is marked known when a line
 * "<step>: <part>" of `knownFile` (if it exists) names its step (or none) and a part of its text
 * (`#` starts a comment line).
 */
export function wrongLanguageCheck(vocabularyFile, language, knownFile) {
  const vocabulary = JSON.parse(fs.readFileSync(vocabularyFile, 'utf8'));
  const mine = vocabulary[language];
  const theirs = vocabulary[language === 'de' ? 'en' : 'de'];
  const myWords = new Set(mine.words);
  const theirWords = new Set(theirs.words);
  const known = (fs.existsSync(knownFile) ? fs.readFileSync(knownFile, 'utf8') : '')
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
    for (const sentence of theirs.sentences) if (flat.includes(sentence)) found.add(sentence);
    for (const line of text.split('\n')) {
      let rest = line.replace(URL, ' ');
      for (const name of mine.names) rest = rest.replaceAll(name, ' ');
      const words = (rest.match(WORD) || []).map((w) => w.toLowerCase()).filter((w) => w.length > 1);
      const wrong = words.filter((w) => theirWords.has(w)).length;
      const right = words.filter((w) => myWords.has(w)).length;
      if (wrong > 0 && wrong >= right) found.add(line.trim());
    }
    const isKnown = (t) => known.some((k) => (!k.step || k.step === step) && t.includes(k.part));
    return [...found].map((t) => ({ text: t, known: isKnown(t) }));
  };
}
