// Texts of the participant pages, German and English (merged into de.ts/en.ts). Every key in `de`
// must exist in `en` (a type error otherwise).
export const de = {
  // /programmes: invitations, own programmes, past ones
  'participant.invitations': 'Ihre Einladungen ({count})',
  'participant.current': 'Aktuelle Programme',
  'participant.past': 'Vergangene Programme',
  'participant.invitation': 'Einladung',
  'participant.about.reverse':
    'Ein Reverse-Mentoring-Programm: Jüngere Fachleute mit digitalem Wissen begleiten Führungskräfte, und beide lernen voneinander. Nach der Anmeldung schlägt das Programmteam passende Tandems vor.',
  'participant.about.open':
    'Ein offenes Programm, in dem Sie je nach Thema Mentorin oder Mentor, Mentee oder beides sind. Nach der Anmeldung suchen Sie sich aus Vorschlägen selbst passende Partnerinnen und Partner.',
  'participant.invitationVoluntary':
    'Die Teilnahme ist freiwillig. Sie können sich jederzeit wieder abmelden.',
  'participant.facts.deadline': 'Anmeldeschluss',
  'participant.facts.term': 'Dauer',
  'participant.facts.termValue': '{min} bis {max} Monate',
  'participant.facts.meetings': 'Treffen',
  'participant.facts.meetingsValue': '{min} bis {max} Treffen, je etwa eine Stunde',
  'participant.facts.topics': '{count} {count|Thema|Themen}:',
  'participant.takePart': 'Teilnehmen',
  'participant.takePartIn': 'An „{name}“ teilnehmen',
  'participant.takePartAgain': 'Wieder teilnehmen',
  'participant.takePartAgainIn': 'Wieder an „{name}“ teilnehmen',
  'participant.questionnaireOf': 'Fragebogen zu „{name}“',
  'participant.findPartners': 'Partner finden',
  'participant.findPartnersIn': 'Partner finden in „{name}“',
  'participant.next.enrolling':
    'Sie sind angemeldet. Bis zum Anmeldeschluss können Sie Ihre Antworten noch ändern.',
  'participant.next.matching':
    'Die Anmeldung ist beendet. Das Programmteam stellt jetzt die Tandems zusammen; Ihren Vorschlag erhalten Sie per E-Mail.',
  'participant.next.running':
    'Die Tandems stehen fest. Ihren Vorschlag und Ihr Tandem finden Sie unter „Meine Tandems“.',
  'participant.next.openRunning':
    'Suchen Sie sich passende Partnerinnen und Partner aus den Vorschlägen aus und fragen Sie ein Tandem an.',
  'participant.next.withdrawn': 'Sie haben sich von diesem Programm abgemeldet.',
  'participant.next.withdrawnOpen':
    'Sie haben sich abgemeldet. Solange die Anmeldung offen ist, können Sie wieder teilnehmen.',
  'participant.next.missed': 'Die Anmeldung ist beendet; Sie hatten sich nicht angemeldet.',
  'participant.took.part': 'Sie haben teilgenommen',
  'participant.took.notPart': 'Ohne Ihre Teilnahme',
  'participant.closedOn': 'Beendet am {date}.',
  'participant.backToProgrammes': 'Zu meinen Programmen',

  // The questionnaire: invitation, closed enrolment, withdrawal
  'participant.enrolment.invitedTitle': 'Sie sind eingeladen.',
  'participant.enrolment.invitedText':
    'Beantworten Sie den Fragebogen, um teilzunehmen. Sobald Ihre Antworten gespeichert sind, sind Sie angemeldet.',
  'participant.enrolment.notYetOpen':
    'Die Anmeldung ist noch nicht geöffnet. Ihre Antworten lassen sich speichern, sobald sie öffnet.',
  'participant.enrolment.closed':
    'Die Anmeldung ist beendet. Ihre Antworten sind so zu sehen, wie Sie sie abgegeben haben, und lassen sich nicht mehr ändern.',
  'participant.enrolment.lockedLegend': 'Ihre Antworten (nicht mehr änderbar)',
  'participant.previous.title': 'Begonnen mit Ihren Antworten aus „{name}“: bitte prüfen und speichern.',
  'participant.previous.text':
    'Gespeichert ist noch nichts. Passen Sie an, was sich seither geändert hat, und speichern Sie dann; erst danach werden Änderungen automatisch gespeichert.',
  'participant.previous.empty': 'Stattdessen leer beginnen',
  'participant.previous.unsaved': 'Noch nicht gespeichert: bitte prüfen und speichern.',
  'participant.withdraw.title': 'Vom Programm abmelden',
  'participant.withdraw.intro':
    'Die Teilnahme ist freiwillig. Sie können sich jederzeit abmelden, ohne Angabe von Gründen.',
  'participant.withdraw.action': 'Vom Programm abmelden',
  'participant.withdraw.confirmTitle': 'Wirklich von „{name}“ abmelden?',
  'participant.withdraw.explain': 'Wenn Sie sich abmelden:',
  'participant.withdraw.answers': 'werden Ihre Antworten im Fragebogen gelöscht,',
  'participant.withdraw.tandems':
    'werden Ihre offenen Vorschläge und Ihre aktiven Tandems in diesem Programm aufgelöst,',
  'participant.withdraw.partners':
    'erfährt das Programmteam davon; Ihre Partnerinnen und Partner werden für eine neue Zuordnung frei.',
  'participant.withdraw.again': 'Solange die Anmeldung offen ist, können Sie danach wieder teilnehmen.',
  'participant.withdraw.final': 'Die Anmeldung ist beendet: Eine erneute Teilnahme ist in diesem Programm nicht möglich.',
  'participant.withdraw.confirm': 'Ja, abmelden',
  'participant.withdraw.cancel': 'Nein, angemeldet bleiben',
  'participant.withdrawn.title': 'Sie haben sich von „{name}“ abgemeldet.',
  'participant.withdrawn.text':
    'Ihre Antworten sind gelöscht, und Ihre Vorschläge und Tandems in diesem Programm sind aufgelöst.',
  'participant.withdrawn.again':
    'Solange die Anmeldung offen ist, können Sie wieder teilnehmen: Beantworten Sie dazu den Fragebogen erneut.',
  'participant.withdrawn.closed': 'Für dieses Programm ist damit alles erledigt.',

  // Reasons of a match, per topic
  'participant.reasons.title': 'Warum Sie zusammenpassen',
  'participant.reasons.none': 'Zu diesem Tandem sind keine Gründe gespeichert.',
  'participant.reasons.points': '{points} Punkte',
  'participant.reasons.yourInterest': 'Ihr Interesse: {level}',
  'participant.reasons.interestOf': 'Interesse von {name}: {level}',
  'participant.reasons.yourSkill': 'Ihr Können: {level}',
  'participant.reasons.skillOf': 'Können von {name}: {level}',
  'participant.reasons.yourExperience': 'Ihre Erfahrung:',
  'participant.reasons.experienceOf': 'Erfahrung von {name}:',

  // Tandems
  'participant.tandems.waitingForYou': 'Warten auf Ihre Antwort ({count})',
  'participant.tandems.waitingForPartner': 'Warten auf die andere Seite ({count})',
  'participant.tandems.active': 'Aktive Tandems ({count})',
  'participant.tandems.past': 'Frühere Tandems ({count})',
  'participant.tandems.all': '← Alle meine Tandems',
  'participant.tandem.title': 'Ihr Tandem mit {name}',
  'participant.tandem.with': 'Tandem mit {name}',
  'participant.tandem.notFound': 'Dieses Tandem gibt es nicht, oder Sie gehören nicht dazu.',
  'participant.tandem.youMentee': 'Sie sind Mentee, {name} ist Ihre Mentorin oder Ihr Mentor.',
  'participant.tandem.youMentor': 'Sie sind Mentorin oder Mentor, {name} ist Ihr Mentee.',
  'participant.tandem.origin': 'Entstanden',
  'participant.tandem.originRun': 'Vorschlag des Programmteams vom {date}',
  'participant.tandem.originRequest': 'Anfrage vom {date}',
  'participant.tandem.proposedText':
    'Das Programmteam schlägt Ihnen dieses Tandem vor. Nehmen Sie an oder lehnen Sie ab – beides ist in Ordnung.',
  'participant.tandem.proposedPartnerAccepted':
    '{name} hat schon angenommen. Nehmen Sie auch an, ist Ihr Tandem aktiv.',
  'participant.tandem.youAcceptedText': 'Sie haben angenommen; {name} hat noch nicht geantwortet.',
  'participant.tandem.requestToYou': '{name} fragt Sie für ein Tandem an.',
  'participant.tandem.requestByYou': 'Sie haben {name} angefragt; die Antwort steht noch aus.',
  'participant.tandem.activeText': 'Ihr Tandem ist aktiv. Vereinbaren Sie Ihr erstes Treffen.',
  'participant.tandem.completedText': 'Dieses Tandem ist abgeschlossen.',
  'participant.tandem.declinedText': 'Dieses Tandem wurde abgelehnt.',
  'participant.tandem.dissolvedText': 'Dieses Tandem wurde aufgelöst.',
  'participant.tandem.acceptNamed': 'Tandem mit {name} annehmen',
  'participant.tandem.declineNamed': 'Tandem mit {name} ablehnen',
  'participant.tandem.declineHint':
    'Den Grund liest nur das Programmteam; {name} erfährt ihn nicht.',
  'participant.tandem.acceptedActive': 'Angenommen. Ihr Tandem mit {name} ist jetzt aktiv.',
  'participant.tandem.acceptedWaiting':
    'Angenommen. Sobald {name} auch annimmt, ist Ihr Tandem aktiv.',
  'participant.tandem.declinedDone':
    'Abgelehnt. Das Programmteam ist informiert und kann Ihnen später einen anderen Vorschlag machen.',
  'participant.tandem.details': 'Tandem mit {name} im Einzelnen',

  // Open programmes: suggestions and requests
  'participant.partners.title': 'Partner finden: {name}',
  'participant.partners.backToQuestionnaire': '← Zum Fragebogen',
  'participant.partners.intro':
    'Diese Personen passen nach Ihren Antworten am besten zu Ihnen. Fragen Sie eine von ihnen an: Sie erhält eine E-Mail und nimmt an oder lehnt ab.',
  'participant.partners.none':
    'Im Moment gibt es keine passenden Personen mit freien Plätzen. Schauen Sie später noch einmal vorbei.',
  'participant.partners.listLabel': 'Vorschläge',
  'participant.partners.asMentor': 'als Mentorin oder Mentor',
  'participant.partners.asMentee': 'als Mentee',
  'participant.partners.score': '{score} Punkte',
  'participant.partners.theyMentor': '{name} könnte Sie als Mentorin oder Mentor begleiten.',
  'participant.partners.theyMentee': 'Sie könnten {name} als Mentorin oder Mentor begleiten.',
  'participant.partners.request': 'Tandem anfragen',
  'participant.partners.requestMentor': 'Tandem anfragen: {name} als Mentorin oder Mentor',
  'participant.partners.requestMentee': 'Tandem anfragen: {name} als Mentee',
  'participant.partners.sent': 'Ihre Anfrage an {name} ist verschickt.',
  'participant.partners.sentText':
    'Sie finden sie unter „Meine Tandems“. Sobald {name} annimmt, ist Ihr Tandem aktiv.',
  'participant.partners.seeRequest': 'Anfrage ansehen',
  'participant.partners.unavailable': 'Vorschläge gibt es hier gerade nicht. {detail}',
  'participant.partners.reverse':
    'In diesem Programm stellt das Programmteam die Tandems zusammen; selbst suchen können Sie hier nicht.',
  'participant.partners.enrolFirst':
    'Vorschläge erhalten Sie, sobald Sie angemeldet sind: Beantworten Sie dazu zuerst den Fragebogen.',
  'participant.partners.notRunning': 'Partner lassen sich nur suchen, solange das Programm läuft.',
} as const;

export const en: Record<keyof typeof de, string> = {
  'participant.invitations': 'Your invitations ({count})',
  'participant.current': 'Current programmes',
  'participant.past': 'Past programmes',
  'participant.invitation': 'Invitation',
  'participant.about.reverse':
    'A reverse-mentoring programme: younger experts with digital know-how mentor leaders, and both learn from each other. After enrolment, the programme team proposes matching tandems.',
  'participant.about.open':
    'An open programme where you are a mentor, a mentee or both, depending on the topic. After enrolment you choose your partners yourself from suggestions.',
  'participant.invitationVoluntary': 'Taking part is voluntary. You can withdraw at any time.',
  'participant.facts.deadline': 'Enrolment closes',
  'participant.facts.term': 'Term',
  'participant.facts.termValue': '{min} to {max} months',
  'participant.facts.meetings': 'Meetings',
  'participant.facts.meetingsValue': '{min} to {max} meetings, about an hour each',
  'participant.facts.topics': '{count} {count|topic|topics}:',
  'participant.takePart': 'Take part',
  'participant.takePartIn': 'Take part in “{name}”',
  'participant.takePartAgain': 'Take part again',
  'participant.takePartAgainIn': 'Take part again in “{name}”',
  'participant.questionnaireOf': 'Questionnaire of “{name}”',
  'participant.findPartners': 'Find partners',
  'participant.findPartnersIn': 'Find partners in “{name}”',
  'participant.next.enrolling': 'You are enrolled. You can change your answers until enrolment closes.',
  'participant.next.matching':
    'Enrolment has closed. The programme team is now forming the tandems; you will get your proposal by e-mail.',
  'participant.next.running': 'The tandems are set. Your proposal and your tandem are under “My tandems”.',
  'participant.next.openRunning': 'Pick suitable partners from the suggestions and request a tandem.',
  'participant.next.withdrawn': 'You withdrew from this programme.',
  'participant.next.withdrawnOpen': 'You withdrew. While enrolment is open, you can take part again.',
  'participant.next.missed': 'Enrolment has closed; you did not enrol.',
  'participant.took.part': 'You took part',
  'participant.took.notPart': 'You did not take part',
  'participant.closedOn': 'Ended on {date}.',
  'participant.backToProgrammes': 'To my programmes',

  'participant.enrolment.invitedTitle': 'You are invited.',
  'participant.enrolment.invitedText':
    'Answer the questionnaire to take part. As soon as your answers are saved, you are enrolled.',
  'participant.enrolment.notYetOpen':
    'Enrolment has not opened yet. Your answers can be saved once it opens.',
  'participant.enrolment.closed':
    'Enrolment has closed. Your answers are shown as you gave them and can no longer be changed.',
  'participant.enrolment.lockedLegend': 'Your answers (can no longer be changed)',
  'participant.previous.title': 'Started from your answers in “{name}”: check and save.',
  'participant.previous.text':
    'Nothing has been saved yet. Change what is different now, then save; only after that are changes saved automatically.',
  'participant.previous.empty': 'Start empty instead',
  'participant.previous.unsaved': 'Not saved yet: please check and save.',
  'participant.withdraw.title': 'Withdraw from the programme',
  'participant.withdraw.intro': 'Taking part is voluntary. You can withdraw at any time, without giving a reason.',
  'participant.withdraw.action': 'Withdraw from the programme',
  'participant.withdraw.confirmTitle': 'Withdraw from “{name}”?',
  'participant.withdraw.explain': 'If you withdraw:',
  'participant.withdraw.answers': 'your answers to the questionnaire are deleted,',
  'participant.withdraw.tandems': 'your open proposals and your active tandems in this programme are dissolved,',
  'participant.withdraw.partners': 'the programme team is told; your partners become free for a new match.',
  'participant.withdraw.again': 'While enrolment is open, you can take part again afterwards.',
  'participant.withdraw.final': 'Enrolment has closed: you cannot take part in this programme again.',
  'participant.withdraw.confirm': 'Yes, withdraw',
  'participant.withdraw.cancel': 'No, stay enrolled',
  'participant.withdrawn.title': 'You have withdrawn from “{name}”.',
  'participant.withdrawn.text': 'Your answers are deleted, and your proposals and tandems in this programme are dissolved.',
  'participant.withdrawn.again': 'While enrolment is open, you can take part again by answering the questionnaire.',
  'participant.withdrawn.closed': 'That is all for this programme.',

  'participant.reasons.title': 'Why you are a match',
  'participant.reasons.none': 'No reasons are stored for this tandem.',
  'participant.reasons.points': '{points} points',
  'participant.reasons.yourInterest': 'Your interest: {level}',
  'participant.reasons.interestOf': 'Interest of {name}: {level}',
  'participant.reasons.yourSkill': 'Your skill: {level}',
  'participant.reasons.skillOf': 'Skill of {name}: {level}',
  'participant.reasons.yourExperience': 'Your experience:',
  'participant.reasons.experienceOf': 'Experience of {name}:',

  'participant.tandems.waitingForYou': 'Waiting for your answer ({count})',
  'participant.tandems.waitingForPartner': 'Waiting for your partner ({count})',
  'participant.tandems.active': 'Active tandems ({count})',
  'participant.tandems.past': 'Earlier tandems ({count})',
  'participant.tandems.all': '← All my tandems',
  'participant.tandem.title': 'Your tandem with {name}',
  'participant.tandem.with': 'Tandem with {name}',
  'participant.tandem.notFound': 'This tandem does not exist, or you are not part of it.',
  'participant.tandem.youMentee': 'You are the mentee; {name} is your mentor.',
  'participant.tandem.youMentor': 'You are the mentor; {name} is your mentee.',
  'participant.tandem.origin': 'Origin',
  'participant.tandem.originRun': 'Proposed by the programme team on {date}',
  'participant.tandem.originRequest': 'Requested on {date}',
  'participant.tandem.proposedText':
    'The programme team proposes this tandem to you. Accept or decline – either is fine.',
  'participant.tandem.proposedPartnerAccepted': '{name} has accepted already. Once you accept too, your tandem is active.',
  'participant.tandem.youAcceptedText': 'You accepted; {name} has not answered yet.',
  'participant.tandem.requestToYou': '{name} asks you for a tandem.',
  'participant.tandem.requestByYou': 'You asked {name} for a tandem; the answer is still open.',
  'participant.tandem.activeText': 'Your tandem is active. Arrange your first meeting.',
  'participant.tandem.completedText': 'This tandem is completed.',
  'participant.tandem.declinedText': 'This tandem was declined.',
  'participant.tandem.dissolvedText': 'This tandem was dissolved.',
  'participant.tandem.acceptNamed': 'Accept the tandem with {name}',
  'participant.tandem.declineNamed': 'Decline the tandem with {name}',
  'participant.tandem.declineHint': 'Only the programme team reads the reason; {name} is not told.',
  'participant.tandem.acceptedActive': 'Accepted. Your tandem with {name} is active now.',
  'participant.tandem.acceptedWaiting': 'Accepted. As soon as {name} accepts too, your tandem is active.',
  'participant.tandem.declinedDone':
    'Declined. The programme team knows and may propose someone else to you later.',
  'participant.tandem.details': 'Details of the tandem with {name}',

  'participant.partners.title': 'Find partners: {name}',
  'participant.partners.backToQuestionnaire': '← To the questionnaire',
  'participant.partners.intro':
    'By your answers, these people fit you best. Request a tandem with one of them: they get an e-mail and accept or decline.',
  'participant.partners.none': 'Right now nobody with free places fits you. Have another look later.',
  'participant.partners.listLabel': 'Suggestions',
  'participant.partners.asMentor': 'as your mentor',
  'participant.partners.asMentee': 'as your mentee',
  'participant.partners.score': '{score} points',
  'participant.partners.theyMentor': '{name} could mentor you.',
  'participant.partners.theyMentee': 'You could mentor {name}.',
  'participant.partners.request': 'Request a tandem',
  'participant.partners.requestMentor': 'Request a tandem with {name} as your mentor',
  'participant.partners.requestMentee': 'Request a tandem with {name} as your mentee',
  'participant.partners.sent': 'Your request to {name} is sent.',
  'participant.partners.sentText': 'You find it under “My tandems”. As soon as {name} accepts, your tandem is active.',
  'participant.partners.seeRequest': 'See the request',
  'participant.partners.unavailable': 'No suggestions here right now. {detail}',
  'participant.partners.reverse': 'In this programme the programme team forms the tandems; you cannot search yourself here.',
  'participant.partners.enrolFirst': 'You get suggestions once you are enrolled: answer the questionnaire first.',
  'participant.partners.notRunning': 'Partners can only be found while the programme runs.',
};
