// What the scenario types, clicks and expects, in each language: the English text is the key,
// GERMAN gives what a German user sees instead (from i18n/locales/de, the seeds' German twins).
// The level names and workshop names stay as the seeds write them, in both languages.

const GERMAN = {
  // commands, as the German help card lists them
  assess: 'bewerten',
  deliver: 'liefern',
  status: 'status',
  portfolio: 'portfolio',
  reminders: 'erinnerungen',
  renewal: 'verlängerung',
  someday: 'irgendwann',
  // buttons
  Help: 'Hilfe',
  'Quick check': 'Schnellcheck',
  'Show level': 'Reifegrad anzeigen',
  Yes: 'Ja',
  No: 'Nein',
  'Start commit phase': 'Vereinbaren beginnen',
  Next: 'Weiter',
  'Save goal': 'Ziel speichern',
  Save: 'Speichern',
  Skip: 'Überspringen',
  Confirm: 'Bestätigen',
  'Record customer agreement': 'Zustimmung des Kunden erfassen',
  'Record delivery': 'Lieferung erfassen',
  'Start ensure': 'Sicherstellen beginnen',
  'Close the iteration': 'Iteration abschließen',
  History: 'Verlauf',
  Report: 'Bericht',
  // labels and dropdown options
  Goal: 'Ziel',
  'Success criterion (KPI)': 'Erfolgskriterium (KPI)',
  "Owner's name (optional)": 'Name der verantwortlichen Person (optional)',
  'Target date': 'Zieldatum',
  'Stakeholders (names, roles, executive sponsor)': 'Stakeholder (Namen, Rollen, Executive Sponsor)',
  'Owner (optional)': 'Verantwortlich (optional)',
  Scenarios: 'Szenarien',
  'Training plan': 'Schulungsplan',
  'In place': 'Vorhanden',
  'In progress': 'In Arbeit',
  'Start of the engagement': 'Beginn des Engagements',
  'End of the engagement': 'Ende des Engagements',
  'Customer contact who agrees': 'Kundenkontakt, der zustimmt',
  'Number of attendees': 'Anzahl der Teilnehmenden',
  'Notes (optional)': 'Notizen (optional)',
  'Link to the materials (optional)': 'Link zu den Unterlagen (optional)',
  Outcome: 'Ergebnis',
  Achieved: 'Erreicht',
  'Evidence (text or link)': 'Nachweis (Text oder Link)',
  'Overall satisfaction': 'Gesamtzufriedenheit',
  'Value for the effort': 'Nutzen im Verhältnis zum Aufwand',
  "The partner team's performance": 'Leistung des Partnerteams',
  'How likely to recommend us (0-10)': 'Wie wahrscheinlich empfiehlt der Kunde uns weiter (0-10)',
  'One per line (1-5)': 'Einer pro Zeile (1-5)',
  // what the answers say
  'How I can help': 'Wobei ich Ihnen helfe',
  Phases: 'Phasen',
  'Question {n} of 10': 'Frage {n} von 10',
  'Recommended workshops': 'Empfohlene Workshops',
  workshops: 'Workshops',
  'goal 1 of up to': 'Ziel 1 von bis zu',
  '1 goal(s) so far': 'Bisher 1 Ziel(e)',
  'success factors': 'Erfolgsfaktoren',
  'dates and contact': 'Termine und Kontakt',
  'Statement of work': 'Leistungsbeschreibung',
  'Both sides agreed': 'Beide Seiten haben zugestimmt',
  '1 of 1 committed workshops delivered': '1 von 1 vereinbarten Workshops geliefert',
  'all three satisfaction questions': 'alle drei Zufriedenheitsfragen',
  'Proof of execution': 'Leistungsnachweis',
  'Iteration 1 of {customer} is closed': 'Iteration 1 von {customer} ist abgeschlossen',
  'Did you mean status {customer}?': 'Meinten Sie status {customer}?',
  'Proof of execution: {customer}, iteration 1': 'Leistungsnachweis: {customer}, Iteration 1',
  'Goal achievement: 100%': /Zielerreichung: 100\s%/, // a no-break space before %
  Portfolio: 'Portfolio',
  'Reminders for your customers': 'Erinnerungen für Ihre Kunden',
  "I can't read 'someday' as a date": "Ich kann 'irgendwann' nicht als Datum lesen",
};

/**
 * The scenario's texts in a language: t('Save goal') is the button's title there; {name} in the
 * text takes values[name]; a RegExp stays one. A German text missing from the table is an error,
 * not English.
 */
export function translator(language) {
  return (english, values = {}) => {
    const text = language === 'de' ? GERMAN[english] : english;
    if (text === undefined) throw new Error(`no German text for ${JSON.stringify(english)}`);
    if (text instanceof RegExp) return text;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  };
}
