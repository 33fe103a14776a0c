<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Versteckte Größe</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>Attention-Köpfe</translation>
    </message>
    <message>
        <source>FFN size</source>
        <translation>FFN-Größe</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Retort: a workbench for knowledge distillation of BERT models</source>
        <translation>Retort: eine Werkbank für die Wissensdestillation von BERT-Modellen</translation>
    </message>
    <message>
        <source>An experiment file, a preset name (demo, tinybert, ...) or a checkpoint directory</source>
        <translation>Eine Experimentdatei, der Name einer Vorlage (demo, tinybert, ...) oder ein Checkpoint-Verzeichnis</translation>
    </message>
    <message>
        <source>Start the experiment right away</source>
        <translation>Das Experiment sofort starten</translation>
    </message>
    <message>
        <source>While running, save a picture of each view into DIR</source>
        <translation>Während des Laufs ein Bild jeder Ansicht in DIR speichern</translation>
    </message>
    <message>
        <source>Quit when the run ends</source>
        <translation>Beenden, wenn der Lauf endet</translation>
    </message>
    <message>
        <source>Start in presenter mode</source>
        <translation>Im Präsentationsmodus starten</translation>
    </message>
</context>
<context>
    <name>retort::app::DocumentController</name>
    <message>
        <source>Open Experiment</source>
        <translation>Experiment öffnen</translation>
    </message>
    <message>
        <source>Experiments (*.json)</source>
        <translation>Experimente (*.json)</translation>
    </message>
    <message>
        <source>Save Experiment</source>
        <translation>Experiment speichern</translation>
    </message>
    <message>
        <source>&amp;New Experiment</source>
        <translation>&amp;Neues Experiment</translation>
    </message>
    <message>
        <source>&amp;Open Experiment…</source>
        <translation>Experiment ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>&amp;Vorlagen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter …</translation>
    </message>
    <message>
        <source>Could not open the experiment: %1</source>
        <translation>Das Experiment konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Preset "%1" loaded; Start runs it.</source>
        <translation>Vorlage „%1“ geladen; Starten führt sie aus.</translation>
    </message>
    <message>
        <source>Could not open the preset: %1</source>
        <translation>Die Vorlage konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Could not save the experiment: %1</source>
        <translation>Das Experiment konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not save the experiment: %1: %2</source>
        <translation>Das Experiment konnte nicht gespeichert werden: %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The experiment has unsaved changes. Save them?</source>
        <translation>Das Experiment hat ungespeicherte Änderungen. Sollen sie gespeichert werden?</translation>
    </message>
</context>
<context>
    <name>retort::app::HistoryController</name>
    <message>
        <source>BiLSTM student</source>
        <translation>BiLSTM-Schüler</translation>
    </message>
    <message numerus="yes">
        <source>student %1×%2, %n stage(s)</source>
        <translation><numerusform>Schüler %1×%2, %n Phase</numerusform><numerusform>Schüler %1×%2, %n Phasen</numerusform></translation>
    </message>
    <message>
        <source>total</source>
        <translation>gesamt</translation>
    </message>
</context>
<context>
    <name>retort::app::MainWindow</name>
    <message>
        <source>Open Checkpoint</source>
        <translation>Checkpoint öffnen</translation>
    </message>
    <message>
        <source>About Retort</source>
        <translation>Über Retort</translation>
    </message>
    <message>
        <source>&lt;b&gt;Retort %1&lt;/b&gt;&lt;p&gt;A workbench for knowledge distillation of BERT models: pick a teacher and a student, watch the student learn, and judge what it keeps.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Retort %1&lt;/b&gt;&lt;p&gt;Eine Werkbank für die Wissensdestillation von BERT-Modellen: Lehrer und Schüler wählen, dem Schüler beim Lernen zusehen und beurteilen, was er behält.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open a model directory in the Hugging Face layout</source>
        <translation>Ein Modellverzeichnis im Hugging-Face-Format öffnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Retort</source>
        <translation>Ü&amp;ber Retort</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Could not open the checkpoint: %1</source>
        <translation>Der Checkpoint konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Open &amp;Checkpoint…</source>
        <translation>&amp;Checkpoint öffnen …</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Presenter Mode</source>
        <translation>&amp;Präsentationsmodus</translation>
    </message>
    <message>
        <source>Larger fonts and views, for a projector</source>
        <translation>Größere Schrift und Ansichten, für einen Projektor</translation>
    </message>
    <message>
        <source>Loss curves</source>
        <translation>Verlustkurven</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>%1[*] — Retort</source>
        <translation>%1[*] — Retort</translation>
    </message>
    <message>
        <source>The experiment cannot run: %1</source>
        <translation>Das Experiment kann nicht laufen: %1</translation>
    </message>
    <message>
        <source>The layer mapping is invalid: %1</source>
        <translation>Die Schichtzuordnung ist ungültig: %1</translation>
    </message>
    <message>
        <source>No attention for the probe: %1</source>
        <translation>Keine Attention für den Testsatz: %1</translation>
    </message>
    <message>
        <source>The new probe sentence is used from the next attention snapshot.</source>
        <translation>Der neue Testsatz wird ab dem nächsten Attention-Schnappschuss verwendet.</translation>
    </message>
    <message>
        <source>The last run of this experiment was interrupted at step %1 of %2; Run ▸ Resume Interrupted Run continues it.</source>
        <translation>Der letzte Lauf dieses Experiments wurde bei Schritt %1 von %2 unterbrochen; Lauf ▸ Unterbrochenen Lauf fortsetzen setzt ihn fort.</translation>
    </message>
    <message>
        <source>The last run of this experiment was interrupted at step %1; Run ▸ Resume Interrupted Run continues it.</source>
        <translation>Der letzte Lauf dieses Experiments wurde bei Schritt %1 unterbrochen; Lauf ▸ Unterbrochenen Lauf fortsetzen setzt ihn fort.</translation>
    </message>
    <message>
        <source>Resume &amp;Interrupted Run</source>
        <translation>&amp;Unterbrochenen Lauf fortsetzen</translation>
    </message>
    <message>
        <source>Continue this experiment's last run, which was killed or stopped, from its newest checkpoint</source>
        <translation>Den letzten, abgebrochenen oder angehaltenen Lauf dieses Experiments ab seinem neuesten Checkpoint fortsetzen</translation>
    </message>
</context>
<context>
    <name>retort::app::SetupPanels</name>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Lehrer</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>Zuordnung</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>The task: data files and columns</source>
        <translation>Die Aufgabe: Datendateien und Spalten</translation>
    </message>
    <message>
        <source>The teacher model</source>
        <translation>Das Lehrermodell</translation>
    </message>
    <message>
        <source>The student model</source>
        <translation>Das Schülermodell</translation>
    </message>
    <message>
        <source>Which student layer learns from which teacher layer</source>
        <translation>Welche Schülerschicht von welcher Lehrerschicht lernt</translation>
    </message>
    <message>
        <source>Training stages and their loss weights</source>
        <translation>Trainingsstufen und ihre Verlustgewichte</translation>
    </message>
</context>
<context>
    <name>retort::app::StagesPanel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source>Add stage</source>
        <translation>Phase hinzufügen</translation>
    </message>
    <message>
        <source>Remove stage</source>
        <translation>Phase entfernen</translation>
    </message>
    <message>
        <source>Loss weights of the selected stage:</source>
        <translation>Verlustgewichte der gewählten Phase:</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>Warmup</source>
        <translation>Aufwärmen</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Gewichtsabnahme</translation>
    </message>
    <message>
        <source>Kinds: general (unlabeled corpus), intermediate (attention and hidden states), prediction (soft targets), finetune (labels), distill (any mix). Schedule: linear (warmup, then linear decay) or constant; warmup: a fraction of the steps or a step count</source>
        <translation>Arten: general (Korpus ohne Labels), intermediate (Attention und versteckte Zustände), prediction (Soft Targets), finetune (Labels), distill (beliebige Mischung). Zeitplan: linear (Aufwärmen, dann linearer Abfall) oder konstant; Aufwärmen: ein Anteil der Schritte oder eine Schrittzahl</translation>
    </message>
</context>
<context>
    <name>retort::app::StudentPanel</name>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>BERT</source>
        <translation>BERT</translation>
    </message>
    <message>
        <source>BiLSTM (Tang et al.)</source>
        <translation>BiLSTM (Tang et al.)</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>Initialisierung</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>From teacher layers (DistilBERT)</source>
        <translation>Aus Lehrerschichten (DistilBERT)</translation>
    </message>
    <message>
        <source>From a checkpoint</source>
        <translation>Aus einem Checkpoint</translation>
    </message>
    <message>
        <source>%1 M parameters, %2 MB (float32)</source>
        <translation>%1 Mio. Parameter, %2 MB (float32)</translation>
    </message>
    <message>
        <source>The hidden size must be a multiple of the heads.</source>
        <translation>Die versteckte Größe muss ein Vielfaches der Anzahl der Köpfe sein.</translation>
    </message>
    <message>
        <source>%1× fewer parameters than the teacher; about %2× faster (estimate from the matrix products)</source>
        <translation>%1× weniger Parameter als der Lehrer; etwa %2× schneller (geschätzt aus den Matrixprodukten)</translation>
    </message>
    <message>
        <source>Student checkpoint</source>
        <translation>Schüler-Checkpoint</translation>
    </message>
    <message>
        <source>For "From a checkpoint": e.g. a student after general distillation</source>
        <translation>Für „Aus einem Checkpoint“: z. B. ein Schüler nach der allgemeinen Destillation</translation>
    </message>
</context>
<context>
    <name>retort::app::TaskPanel</name>
    <message>
        <source>Choose a data file</source>
        <translation>Datendatei wählen</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>Trainingsdaten</translation>
    </message>
    <message>
        <source>Dev data</source>
        <translation>Dev-Daten</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>Textspalte</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>Labelspalte</translation>
    </message>
    <message>
        <source>Max length (tokens)</source>
        <translation>Maximale Länge (Token)</translation>
    </message>
    <message>
        <source>Use the bundled demo</source>
        <translation>Mitgelieferte Demo verwenden</translation>
    </message>
    <message>
        <source>State of the Union passages labeled with their era (public domain)</source>
        <translation>Passagen aus State-of-the-Union-Reden, gelabelt mit ihrer Epoche (gemeinfrei)</translation>
    </message>
    <message>
        <source>First rows of the training data:</source>
        <translation>Erste Zeilen der Trainingsdaten:</translation>
    </message>
    <message>
        <source>A TSV, CSV or JSON Lines file with a header</source>
        <translation>Eine TSV-, CSV- oder JSON-Lines-Datei mit Kopfzeile</translation>
    </message>
    <message>
        <source>Optional: evaluation data with the same columns</source>
        <translation>Optional: Evaluationsdaten mit denselben Spalten</translation>
    </message>
    <message>
        <source>No training data chosen.</source>
        <translation>Keine Trainingsdaten gewählt.</translation>
    </message>
    <message numerus="yes">
        <source>%n example(s); labels: %1</source>
        <translation><numerusform>%n Beispiel; Labels: %1</numerusform><numerusform>%n Beispiele; Labels: %1</numerusform></translation>
    </message>
    <message>
        <source>Cannot read the training data: %1</source>
        <translation>Die Trainingsdaten können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Reading the training data…</source>
        <translation>Trainingsdaten werden gelesen …</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>F1 (of class 1)</source>
        <translation>F1 (der Klasse 1)</translation>
    </message>
    <message>
        <source>Matthews correlation (MCC)</source>
        <translation>Matthews-Korrelation (MCC)</translation>
    </message>
    <message>
        <source>Task kind</source>
        <translation>Aufgabenart</translation>
    </message>
    <message>
        <source>Classification (one class per example)</source>
        <translation>Klassifikation (eine Klasse pro Beispiel)</translation>
    </message>
    <message>
        <source>Regression (a number per example)</source>
        <translation>Regression (eine Zahl pro Beispiel)</translation>
    </message>
    <message>
        <source>Multi-label (any number of classes per example)</source>
        <translation>Multi-Label (beliebig viele Klassen pro Beispiel)</translation>
    </message>
    <message>
        <source>The task's headline metric: it picks the best student and gives the retention. F1 needs two classes (GLUE reports MCC for CoLA, F1 for MRPC and QQP, Pearson for STS-B).</source>
        <translation>Die Leitmetrik der Aufgabe: Sie wählt den besten Schüler und bestimmt die Retention. F1 braucht zwei Klassen (GLUE nennt MCC für CoLA, F1 für MRPC und QQP, Pearson für STS-B).</translation>
    </message>
    <message>
        <source>Pearson correlation</source>
        <translation>Pearson-Korrelation</translation>
    </message>
    <message>
        <source>Spearman rank correlation</source>
        <translation>Spearman-Rangkorrelation</translation>
    </message>
    <message>
        <source>Micro F1 (over all classes)</source>
        <translation>Mikro-F1 (über alle Klassen)</translation>
    </message>
    <message>
        <source>Macro F1 (mean of the classes' F1)</source>
        <translation>Makro-F1 (Mittel der F1-Werte der Klassen)</translation>
    </message>
    <message>
        <source>Exact match (every class of an example right)</source>
        <translation>Exakte Übereinstimmung (jede Klasse eines Beispiels richtig)</translation>
    </message>
    <message>
        <source>a number in “%1”</source>
        <translation>eine Zahl in „%1“</translation>
    </message>
    <message>
        <source>Data (*.tsv *.csv *.jsonl *.json *.conll *.iob *.bio);;All files (*)</source>
        <translation>Daten (*.tsv *.csv *.jsonl *.json *.conll *.iob *.bio);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Token classification (a tag per word: NER, tagging)</source>
        <translation>Token-Klassifikation (ein Tag pro Wort: NER, Tagging)</translation>
    </message>
    <message>
        <source>Guessed from a newly chosen training file: numbers with decimals are a regression, labels joined by commas or JSON lists are multi-label, CoNLL files and JSON lists of tokens are token classification. Change it if the guess is wrong.</source>
        <translation>Aus einer neu gewählten Trainingsdatei erraten: Zahlen mit Nachkommastellen sind eine Regression, durch Kommas verbundene Labels oder JSON-Listen sind Multi-Label, CoNLL-Dateien und JSON-Listen von Tokens sind Token-Klassifikation. Ändern Sie die Wahl, wenn die Vermutung falsch ist.</translation>
    </message>
    <message>
        <source>Entity F1 (seqeval)</source>
        <translation>Entitäts-F1 (seqeval)</translation>
    </message>
    <message>
        <source>Entity precision</source>
        <translation>Entitäts-Präzision</translation>
    </message>
    <message>
        <source>Entity recall</source>
        <translation>Entitäts-Recall</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>Wörter</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
</context>
<context>
    <name>retort::app::TeacherPanel</name>
    <message>
        <source>Open Checkpoint</source>
        <translation>Checkpoint öffnen</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Train the teacher in Retort (no checkpoint)</source>
        <translation>Den Lehrer in Retort trainieren (kein Checkpoint)</translation>
    </message>
    <message>
        <source>A model directory in the Hugging Face layout</source>
        <translation>Ein Modellverzeichnis im Hugging-Face-Format</translation>
    </message>
    <message>
        <source>Retort trains this teacher: %1 M parameters (with an 8,000-piece vocabulary).</source>
        <translation>Retort trainiert diesen Lehrer: %1 Mio. Parameter (mit einem Vokabular aus 8.000 Wortteilen).</translation>
    </message>
    <message>
        <source>%1 layers, hidden %2, %3 heads, FFN %4; %5 M parameters, %6 labels</source>
        <translation>%1 Schichten, versteckt %2, %3 Köpfe, FFN %4; %5 Mio. Parameter, %6 Labels</translation>
    </message>
    <message>
        <source>No teacher chosen.</source>
        <translation>Kein Lehrer gewählt.</translation>
    </message>
    <message>
        <source>Cannot read the teacher: %1</source>
        <translation>Der Lehrer kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Fine-tune on the task</source>
        <translation>Auf die Aufgabe feinabstimmen</translation>
    </message>
    <message>
        <source>When needed (no classifier, or other classes)</source>
        <translation>Bei Bedarf (kein Klassifikator oder andere Klassen)</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>Immer</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
</context>
<context>
    <name>retort::app::TrainingController</name>
    <message>
        <source>Stage %1 of %2: %3</source>
        <translation>Phase %1 von %2: %3</translation>
    </message>
    <message>
        <source>Start the distillation run (Ctrl+R)</source>
        <translation>Den Destillationslauf starten (Strg+R)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Stop the run; the student trained so far is kept</source>
        <translation>Den Lauf anhalten; der bis dahin trainierte Schüler bleibt erhalten</translation>
    </message>
    <message>
        <source>&amp;Export Student…</source>
        <translation>Schüler &amp;exportieren …</translation>
    </message>
    <message>
        <source>previous run</source>
        <translation>vorheriger Lauf</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>Fortgesetzt</translation>
    </message>
    <message>
        <source>Stopping… the student trained so far is kept</source>
        <translation>Wird angehalten … der bis dahin trainierte Schüler bleibt erhalten</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>total</source>
        <translation>gesamt</translation>
    </message>
    <message>
        <source>%1 examples/s · ETA %2</source>
        <translation>%1 Beispiele/s · Restzeit %2</translation>
    </message>
    <message>
        <source>Run finished in %1; files in %2</source>
        <translation>Lauf in %1 beendet; Dateien in %2</translation>
    </message>
    <message>
        <source>The run stopped with an error: %1</source>
        <translation>Der Lauf wurde mit einem Fehler abgebrochen: %1</translation>
    </message>
    <message>
        <source>Export the student to</source>
        <translation>Schüler exportieren nach</translation>
    </message>
    <message>
        <source>Could not export the student: %1</source>
        <translation>Der Schüler konnte nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Student exported to %1 (Hugging Face layout)</source>
        <translation>Schüler nach %1 exportiert (Hugging-Face-Format)</translation>
    </message>
    <message>
        <source>%1 has no checkpoint to resume from</source>
        <translation>%1 hat keinen Checkpoint, ab dem fortgesetzt werden könnte</translation>
    </message>
    <message>
        <source>Resuming %1 from step %2</source>
        <translation>%1 wird ab Schritt %2 fortgesetzt</translation>
    </message>
    <message>
        <source>Run stopped; the student so far and a checkpoint are in %1 (Run ▸ Resume Interrupted Run continues it)</source>
        <translation>Lauf angehalten; der bisherige Student und ein Checkpoint liegen in %1 (Lauf ▸ Unterbrochenen Lauf fortsetzen setzt ihn fort)</translation>
    </message>
    <message>
        <source>Pro&amp;cesses:</source>
        <translation>Pro&amp;zesse:</translation>
    </message>
    <message>
        <source>Local processes the run is split over (data parallel): each trains its share of every batch, and the charts show the first one's, which are the run's. Pause is not available with more than one.</source>
        <translation>Lokale Prozesse, auf die der Lauf verteilt wird (Datenparallelität): Jeder trainiert seinen Teil jedes Batches, und die Diagramme zeigen die des ersten, die die des Laufs sind. Mit mehr als einem Prozess ist Pausieren nicht möglich.</translation>
    </message>
    <message>
        <source>Running on %1 processes (data parallel); the charts show rank 0</source>
        <translation>Läuft auf %1 Prozessen (datenparallel); die Diagramme zeigen Rang 0</translation>
    </message>
</context>
<context>
    <name>retort::widgets::AttentionGrid</name>
    <message>
        <source>No attention to show yet.</source>
        <translation>Noch keine Attention zum Anzeigen.</translation>
    </message>
    <message>
        <source>Student layer %1, head %2</source>
        <translation>Schülerschicht %1, Kopf %2</translation>
    </message>
    <message>
        <source>Teacher layer %1, head %2</source>
        <translation>Lehrerschicht %1, Kopf %2</translation>
    </message>
    <message>
        <source>Student %1</source>
        <translation>Schüler %1</translation>
    </message>
    <message>
        <source>Teacher %1</source>
        <translation>Lehrer %1</translation>
    </message>
</context>
<context>
    <name>retort::widgets::AttentionHeatmap</name>
    <message>
        <source>The attention data does not fit the tokens (%1 numbers for %2 heads of %3 tokens).</source>
        <translation>Die Attention-Daten passen nicht zu den Token (%1 Zahlen für %2 Köpfe mit %3 Token).</translation>
    </message>
    <message>
        <source>The difference needs the student's and the teacher's attention.</source>
        <translation>Für die Differenz braucht es die Attention des Schülers und die des Lehrers.</translation>
    </message>
    <message>
        <source>The student's and the teacher's attention cover different tokens (%1 and %2).</source>
        <translation>Die Attention von Schüler und Lehrer bezieht sich auf verschieden viele Token (%1 und %2).</translation>
    </message>
    <message>
        <source>Student − teacher</source>
        <translation>Schüler − Lehrer</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Query: %1 (#%2)
Key: %3 (#%4)
%5: %6</source>
        <translation>Query: %1 (#%2)
Key: %3 (#%4)
%5: %6</translation>
    </message>
    <message>
        <source>No attention to show yet.</source>
        <translation>Noch keine Attention zum Anzeigen.</translation>
    </message>
</context>
<context>
    <name>retort::widgets::AttentionView</name>
    <message>
        <source>&amp;Probe sentence:</source>
        <translation>&amp;Testsatz:</translation>
    </message>
    <message>
        <source>Type a sentence and press Enter to see how both models attend to it</source>
        <translation>Einen Satz eingeben und Enter drücken, um zu sehen, worauf beide Modelle achten</translation>
    </message>
    <message>
        <source>The sentence whose attention is shown; it is sent to the models when you press Enter</source>
        <translation>Der Satz, dessen Attention angezeigt wird; er geht an die Modelle, sobald Enter gedrückt wird</translation>
    </message>
    <message>
        <source>&amp;Layers:</source>
        <translation>&amp;Schichten:</translation>
    </message>
    <message>
        <source>The mapped pair of layers: the student layer that learns from a teacher layer</source>
        <translation>Das zugeordnete Schichtpaar: die Schülerschicht, die von einer Lehrerschicht lernt</translation>
    </message>
    <message>
        <source>&amp;Head:</source>
        <translation>&amp;Kopf:</translation>
    </message>
    <message>
        <source>One attention head of the student, or the average of all heads. When the teacher has more heads, the group of teacher heads that the attention loss compares with it is averaged.</source>
        <translation>Ein Attention-Kopf des Schülers oder der Mittelwert aller Köpfe. Hat der Lehrer mehr Köpfe, wird die Gruppe von Lehrerköpfen gemittelt, mit der der Attention-Verlust ihn vergleicht.</translation>
    </message>
    <message>
        <source>Probabilities</source>
        <translation>Wahrscheinlichkeiten</translation>
    </message>
    <message>
        <source>Attention weights after softmax: each row sums to 1</source>
        <translation>Attention-Gewichte nach dem Softmax: jede Zeile ergibt in Summe 1</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>Scores</translation>
    </message>
    <message>
        <source>Raw attention scores QKᵀ/√d before softmax: what TinyBERT's attention loss compares</source>
        <translation>Rohe Attention-Scores QKᵀ/√d vor dem Softmax: das, was der Attention-Verlust von TinyBERT vergleicht</translation>
    </message>
    <message>
        <source>&amp;Difference</source>
        <translation>&amp;Differenz</translation>
    </message>
    <message>
        <source>Also show student − teacher, cell by cell (red: the student attends more, blue: less)</source>
        <translation>Zusätzlich Schüler − Lehrer Zelle für Zelle zeigen (rot: der Schüler achtet mehr darauf, blau: weniger)</translation>
    </message>
    <message>
        <source>Student %1 ↔ teacher %2</source>
        <translation>Schüler %1 ↔ Lehrer %2</translation>
    </message>
    <message>
        <source>Average of all heads</source>
        <translation>Mittelwert aller Köpfe</translation>
    </message>
    <message>
        <source>Head %1</source>
        <translation>Kopf %1</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Lehrer</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <source>Student − teacher</source>
        <translation>Schüler − Lehrer</translation>
    </message>
    <message>
        <source>No attention yet: it is recorded during a run, every few steps, on the probe sentence.</source>
        <translation>Noch keine Attention: Sie wird während eines Laufs alle paar Schritte für den Testsatz aufgezeichnet.</translation>
    </message>
    <message>
        <source>Student, layer %1</source>
        <translation>Schüler, Schicht %1</translation>
    </message>
    <message>
        <source>Teacher, layer %1, heads %2–%3 averaged</source>
        <translation>Lehrer, Schicht %1, Köpfe %2–%3 gemittelt</translation>
    </message>
    <message>
        <source>Teacher, layer %1</source>
        <translation>Lehrer, Schicht %1</translation>
    </message>
    <message>
        <source>Stage “%1”, step %2: %3 tokens, the student has %4 heads and the teacher %5.</source>
        <translation>Phase „%1“, Schritt %2: %3 Token, der Schüler hat %4 Köpfe und der Lehrer %5.</translation>
    </message>
    <message>
        <source>Teacher layer %1</source>
        <translation>Lehrerschicht %1</translation>
    </message>
    <message>
        <source>The student's attention appears here once training starts.</source>
        <translation>Die Attention des Schülers erscheint hier, sobald das Training beginnt.</translation>
    </message>
    <message>
        <source>The difference appears once training starts.</source>
        <translation>Die Differenz erscheint, sobald das Training beginnt.</translation>
    </message>
    <message>
        <source>Before training: the teacher's attention on the probe sentence (%1 tokens, %2 heads). The student's is recorded during the run.</source>
        <translation>Vor dem Training: die Attention des Lehrers auf dem Testsatz (%1 Tokens, %2 Köpfe). Die des Schülers wird während des Laufs aufgezeichnet.</translation>
    </message>
</context>
<context>
    <name>retort::widgets::LayerMappingEditor</name>
    <message>
        <source>Teacher</source>
        <translation>Lehrer</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>Embeddings</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>Versteckt</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>Student layer (0 = the embedding output)</source>
        <translation>Schülerschicht (0 = die Ausgabe der Embeddings)</translation>
    </message>
    <message>
        <source>Teacher layer (0 = the embedding output)</source>
        <translation>Lehrerschicht (0 = die Ausgabe der Embeddings)</translation>
    </message>
    <message>
        <source>Match the attention scores of the pair (not possible on layer 0, the embeddings)</source>
        <translation>Die Attention-Scores des Paars angleichen (nicht möglich auf Schicht 0, den Embeddings)</translation>
    </message>
    <message>
        <source>Match the hidden states of the pair</source>
        <translation>Die versteckten Zustände des Paars angleichen</translation>
    </message>
    <message>
        <source>Factor on this pair's losses</source>
        <translation>Faktor auf die Verluste dieses Paars</translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation>Gleichmäßig</translation>
    </message>
    <message>
        <source>Last layers</source>
        <translation>Letzte Schichten</translation>
    </message>
    <message>
        <source>DistilBERT-style</source>
        <translation>Wie DistilBERT</translation>
    </message>
    <message>
        <source>Drag from a layer to a layer of the other model to connect them. Drag the end of a link to another layer to move it, or away to remove it; double-click or right-click a link to remove it.</source>
        <translation>Von einer Schicht zu einer Schicht des anderen Modells ziehen, um sie zu verbinden. Das Ende einer Verbindung auf eine andere Schicht ziehen, um sie zu verschieben, oder ins Leere, um sie zu entfernen; ein Doppelklick oder Rechtsklick auf eine Verbindung entfernt sie.</translation>
    </message>
    <message>
        <source>Needs a student with at least one layer and no more layers than the teacher.</source>
        <translation>Braucht einen Schüler mit mindestens einer Schicht und nicht mehr Schichten als der Lehrer.</translation>
    </message>
    <message>
        <source>TinyBERT's uniform mapping: student layer m learns from teacher layer m·N/M (rounded), so the student's layers spread evenly over the teacher's; plus the embeddings (0 → 0).</source>
        <translation>Die gleichmäßige Zuordnung von TinyBERT: Schülerschicht m lernt von Lehrerschicht m·N/M (gerundet), so verteilen sich die Schichten des Schülers gleichmäßig über die des Lehrers; dazu die Embeddings (0 → 0).</translation>
    </message>
    <message>
        <source>Student layer m learns from teacher layer N − M + m: the teacher's last layers; plus the embeddings (0 → 0).</source>
        <translation>Schülerschicht m lernt von Lehrerschicht N − M + m, den letzten Schichten des Lehrers; dazu die Embeddings (0 → 0).</translation>
    </message>
    <message>
        <source>Student layer m learns from teacher layer 2m: every other layer of the teacher, as DistilBERT keeps one teacher layer in two; plus the embeddings (0 → 0).</source>
        <translation>Schülerschicht m lernt von Lehrerschicht 2m, also von jeder zweiten Schicht des Lehrers, so wie DistilBERT eine von zwei Lehrerschichten behält; dazu die Embeddings (0 → 0).</translation>
    </message>
    <message>
        <source>Needs a teacher with at least twice as many layers as the student.</source>
        <translation>Braucht einen Lehrer mit mindestens doppelt so vielen Schichten wie der Schüler.</translation>
    </message>
    <message>
        <source>the layer counts of both models are not set</source>
        <translation>die Schichtzahlen der beiden Modelle sind nicht gesetzt</translation>
    </message>
    <message>
        <source>no layer pair is mapped, so nothing would be matched</source>
        <translation>kein Schichtpaar ist zugeordnet, also würde nichts angeglichen</translation>
    </message>
    <message>
        <source>student layer %1 does not exist (the student has layers 0–%2)</source>
        <translation>Schülerschicht %1 gibt es nicht (der Schüler hat die Schichten 0–%2)</translation>
    </message>
    <message>
        <source>teacher layer %1 does not exist (the teacher has layers 0–%2)</source>
        <translation>Lehrerschicht %1 gibt es nicht (der Lehrer hat die Schichten 0–%2)</translation>
    </message>
    <message>
        <source>student layer %1 is mapped twice</source>
        <translation>Schülerschicht %1 ist zweimal zugeordnet</translation>
    </message>
    <message>
        <source>student layer %1 is mapped %2 times</source>
        <translation>Schülerschicht %1 ist %2-mal zugeordnet</translation>
    </message>
    <message>
        <source>the embedding pair (0) cannot match attention: the embedding output has none</source>
        <translation>das Embedding-Paar (0) kann keine Attention angleichen: die Ausgabe der Embeddings hat keine</translation>
    </message>
    <message>
        <source>student layer %1 → teacher layer %2 cannot match attention: layer 0 (the embedding output) has none</source>
        <translation>Schülerschicht %1 → Lehrerschicht %2 kann keine Attention angleichen: Schicht 0 (die Ausgabe der Embeddings) hat keine</translation>
    </message>
    <message>
        <source>the weight of student layer %1 → teacher layer %2 must be a number ≥ 0</source>
        <translation>das Gewicht von Schülerschicht %1 → Lehrerschicht %2 muss eine Zahl ≥ 0 sein</translation>
    </message>
    <message>
        <source>student layer %1 → teacher layer %2 matches nothing: attention and hidden states are both off</source>
        <translation>Schülerschicht %1 → Lehrerschicht %2 gleicht nichts an: Attention und versteckte Zustände sind beide aus</translation>
    </message>
    <message>
        <source>Layer pairs mapped: %1. The mapping is valid.</source>
        <translation>Zugeordnete Schichtpaare: %1. Die Zuordnung ist gültig.</translation>
    </message>
    <message>
        <source>This mapping cannot be used:</source>
        <translation>Diese Zuordnung kann nicht verwendet werden:</translation>
    </message>
</context>
<context>
    <name>retort::widgets::LossChart</name>
    <message>
        <source>Smoothing</source>
        <translation>Glättung</translation>
    </message>
    <message>
        <source>Exponential moving average of the curves: 0 shows every logged value, 0.99 a very smooth trend. The exported CSV always holds the raw values.</source>
        <translation>Exponentieller gleitender Mittelwert der Kurven: 0 zeigt jeden protokollierten Wert, 0,99 einen sehr glatten Verlauf. Die exportierte CSV-Datei enthält immer die Rohwerte.</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Logarithmisch</translation>
    </message>
    <message>
        <source>Show the loss axis on a logarithmic scale</source>
        <translation>Die Verlustachse logarithmisch darstellen</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>Fit the axes to the data again after zooming or panning (wheel: zoom, drag: pan)</source>
        <translation>Die Achsen nach dem Zoomen oder Verschieben wieder an die Daten anpassen (Mausrad: zoomen, Ziehen: verschieben)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Image (PNG)…</source>
        <translation>Bild (PNG) …</translation>
    </message>
    <message>
        <source>Document (PDF)…</source>
        <translation>Dokument (PDF) …</translation>
    </message>
    <message>
        <source>Data (CSV)…</source>
        <translation>Daten (CSV) …</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Dev accuracy</source>
        <translation>Dev-Genauigkeit</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Export the loss curves</source>
        <translation>Verlustkurven exportieren</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Could not write %1: the image could not be encoded</source>
        <translation>%1 konnte nicht geschrieben werden: Das Bild ließ sich nicht kodieren</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Could not replace %1</source>
        <translation>%1 konnte nicht ersetzt werden</translation>
    </message>
</context>
<context>
    <name>retort::widgets::LossWeightsPanel</name>
    <message>
        <source>&amp;Soft targets</source>
        <translation>&amp;Soft Targets</translation>
    </message>
    <message>
        <source>&amp;Hard labels</source>
        <translation>&amp;Harte Labels</translation>
    </message>
    <message>
        <source>&amp;Logit MSE</source>
        <translation>&amp;Logit-MSE</translation>
    </message>
    <message>
        <source>&amp;Cosine</source>
        <translation>&amp;Kosinus</translation>
    </message>
    <message>
        <source>&amp;Masked LM</source>
        <translation>&amp;Masked LM</translation>
    </message>
    <message>
        <source>&amp;Attention</source>
        <translation>&amp;Attention</translation>
    </message>
    <message>
        <source>Hi&amp;dden states</source>
        <translation>&amp;Versteckte Zustände</translation>
    </message>
    <message>
        <source>&amp;Embeddings</source>
        <translation>&amp;Embeddings</translation>
    </message>
    <message>
        <source>&amp;Temperature</source>
        <translation>&amp;Temperatur</translation>
    </message>
    <message>
        <source>Soft-target l&amp;oss</source>
        <translation>Soft-Target-Verl&amp;ust</translation>
    </message>
    <message>
        <source>KL divergence × T² (Hinton, DistilBERT)</source>
        <translation>KL-Divergenz × T² (Hinton, DistilBERT)</translation>
    </message>
    <message>
        <source>Cross-entropy (TinyBERT)</source>
        <translation>Kreuzentropie (TinyBERT)</translation>
    </message>
    <message>
        <source>How the soft targets are compared: the KL divergence between the softened distributions, multiplied by T² so that its gradients keep their size (Hinton et al., DistilBERT), or TinyBERT's plain cross-entropy, averaged over the examples and classes.</source>
        <translation>Wie die Soft Targets verglichen werden: die KL-Divergenz zwischen den geglätteten Verteilungen, mit T² multipliziert, damit ihre Gradienten ihre Größe behalten (Hinton et al., DistilBERT), oder die einfache Kreuzentropie von TinyBERT, gemittelt über Beispiele und Klassen.</translation>
    </message>
    <message>
        <source>The student minimises the weighted sum of these terms. A weight of 0 turns a term off: it is not computed at all.</source>
        <translation>Der Schüler minimiert die gewichtete Summe dieser Terme. Ein Gewicht von 0 schaltet einen Term ab: Er wird gar nicht berechnet.</translation>
    </message>
    <message>
        <source>Click, then click a control to read what it does</source>
        <translation>Hier klicken, dann auf ein Bedienelement klicken, um zu lesen, was es bewirkt</translation>
    </message>
    <message>
        <source>Soft targets: the student learns the teacher's whole output distribution, not just its top answer, with both softened by the temperature (Hinton et al.; DistilBERT's L_ce). Compared as chosen under Soft-target loss.</source>
        <translation>Soft Targets: Der Schüler lernt die ganze Ausgabeverteilung des Lehrers, nicht nur dessen beste Antwort, beide durch die Temperatur geglättet (Hinton et al.; L_ce von DistilBERT). Verglichen wie unter Soft-Target-Verlust gewählt.</translation>
    </message>
    <message>
        <source>Hard labels: ordinary cross-entropy with the gold labels of the training data, as in plain fine-tuning.</source>
        <translation>Harte Labels: gewöhnliche Kreuzentropie mit den Gold-Labels der Trainingsdaten, wie beim einfachen Fine-Tuning.</translation>
    </message>
    <message>
        <source>Logit MSE: mean squared error between the student's and the teacher's logits, before softmax (Tang et al., distilling BERT into a BiLSTM).</source>
        <translation>Logit-MSE: mittlerer quadratischer Fehler zwischen den Logits von Schüler und Lehrer vor dem Softmax (Tang et al., Destillation von BERT in ein BiLSTM).</translation>
    </message>
    <message>
        <source>Cosine: 1 − the cosine similarity of the student's and the teacher's hidden states, so that they point the same way (DistilBERT's L_cos).</source>
        <translation>Kosinus: 1 − die Kosinus-Ähnlichkeit der versteckten Zustände von Schüler und Lehrer, damit sie in dieselbe Richtung zeigen (L_cos von DistilBERT).</translation>
    </message>
    <message>
        <source>Masked LM: the student guesses masked-out words of the text itself, as in BERT's pre-training (DistilBERT's L_mlm). Needs a student with a masked-LM head.</source>
        <translation>Masked LM: Der Schüler errät selbst maskierte Wörter des Textes, wie im Vortraining von BERT (L_mlm von DistilBERT). Braucht einen Schüler mit Masked-LM-Kopf.</translation>
    </message>
    <message>
        <source>Attention: mean squared error between the student's and the teacher's pre-softmax attention scores of each mapped layer pair (TinyBERT).</source>
        <translation>Attention: mittlerer quadratischer Fehler zwischen den Attention-Scores von Schüler und Lehrer vor dem Softmax, für jedes zugeordnete Schichtpaar (TinyBERT).</translation>
    </message>
    <message>
        <source>Hidden states: mean squared error between the student's hidden states, projected to the teacher's size by a learned matrix W_h, and the teacher's, for each mapped layer pair (TinyBERT).</source>
        <translation>Versteckte Zustände: mittlerer quadratischer Fehler zwischen den versteckten Zuständen des Schülers, durch eine gelernte Matrix W_h auf die Größe des Lehrers projiziert, und denen des Lehrers, für jedes zugeordnete Schichtpaar (TinyBERT).</translation>
    </message>
    <message>
        <source>Embeddings: mean squared error between the student's embedding output, projected by a learned matrix W_e, and the teacher's (TinyBERT).</source>
        <translation>Embeddings: mittlerer quadratischer Fehler zwischen der Embedding-Ausgabe des Schülers, durch eine gelernte Matrix W_e projiziert, und der des Lehrers (TinyBERT).</translation>
    </message>
    <message>
        <source>Temperature T: both models' logits are divided by T before the softmax of the soft targets. T &gt; 1 flattens the teacher's distribution, so that the small probabilities it gives to wrong classes (its "dark knowledge") teach more. DistilBERT uses 2, TinyBERT 1.</source>
        <translation>Temperatur T: Die Logits beider Modelle werden vor dem Softmax der Soft Targets durch T geteilt. T &gt; 1 flacht die Verteilung des Lehrers ab, sodass die kleinen Wahrscheinlichkeiten, die er falschen Klassen gibt (sein „dunkles Wissen“), mehr lehren. DistilBERT verwendet 2, TinyBERT 1.</translation>
    </message>
</context>
<context>
    <name>retort::widgets::ModelSummaryView</name>
    <message>
        <source>Property</source>
        <translation>Eigenschaft</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>No model is open. Use File ▸ Open Checkpoint… to look at one.</source>
        <translation>Kein Modell geöffnet. Mit Datei ▸ Checkpoint öffnen … lässt sich eines ansehen.</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Versteckte Größe</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>Attention-Köpfe</translation>
    </message>
    <message>
        <source>Feed-forward size</source>
        <translation>Feed-Forward-Größe</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <source>Longest input</source>
        <translation>Längste Eingabe</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Aktivierung</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <source>none (no classifier head)</source>
        <translation>keine (kein Klassifikationskopf)</translation>
    </message>
    <message>
        <source>Masked-LM head</source>
        <translation>Masked-LM-Kopf</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Size (float32)</source>
        <translation>Größe (float32)</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
</context>
<context>
    <name>retort::widgets::ResultsView</name>
    <message>
        <source>Teacher</source>
        <translation>Lehrer</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <source>Student / teacher</source>
        <translation>Schüler / Lehrer</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>Größe (MB)</translation>
    </message>
    <message>
        <source>Latency batch 1 (ms)</source>
        <translation>Latenz Batch 1 (ms)</translation>
    </message>
    <message>
        <source>Latency batch 32 (ms)</source>
        <translation>Latenz Batch 32 (ms)</translation>
    </message>
    <message>
        <source>The student's figure as a percentage of the teacher's</source>
        <translation>Der Wert des Schülers in Prozent des Werts des Lehrers</translation>
    </message>
    <message>
        <source>Accuracy on the dev set (– when the run had none)</source>
        <translation>Genauigkeit auf den Dev-Daten (–, wenn der Lauf keine hatte)</translation>
    </message>
    <message>
        <source>Size of the weights as 32-bit floats, in megabytes (10⁶ bytes)</source>
        <translation>Größe der Gewichte als 32-Bit-Gleitkommazahlen, in Megabyte (10⁶ Byte)</translation>
    </message>
    <message>
        <source>Median time of one forward pass of a single input, in milliseconds</source>
        <translation>Median der Zeit eines Vorwärtsdurchlaufs für eine einzelne Eingabe, in Millisekunden</translation>
    </message>
    <message>
        <source>Median time of one forward pass of 32 inputs at once, in milliseconds</source>
        <translation>Median der Zeit eines Vorwärtsdurchlaufs für 32 Eingaben auf einmal, in Millisekunden</translation>
    </message>
    <message>
        <source>Export student…</source>
        <translation>Schüler exportieren …</translation>
    </message>
    <message>
        <source>Copy the trained student (weights, configuration and tokenizer) to a folder of your choice</source>
        <translation>Den trainierten Schüler (Gewichte, Konfiguration und Tokenizer) in einen Ordner Ihrer Wahl kopieren</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>% of the teacher</source>
        <translation>% des Lehrers</translation>
    </message>
    <message>
        <source>The student relative to the teacher (teacher = 100%); latency at batch 1, lower is faster</source>
        <translation>Der Schüler im Verhältnis zum Lehrer (Lehrer = 100 %); Latenz bei Batch 1, niedriger ist schneller</translation>
    </message>
    <message>
        <source>This run was stopped early: the figures are those of the student trained so far.</source>
        <translation>Dieser Lauf wurde vorzeitig angehalten: Die Werte sind die des bis dahin trainierten Schülers.</translation>
    </message>
    <message>
        <source>No results yet: they appear here when a run ends.</source>
        <translation>Noch keine Ergebnisse: Sie erscheinen hier, wenn ein Lauf endet.</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Results of %1</source>
        <translation>Ergebnisse von %1</translation>
    </message>
    <message>
        <source>Retention: %1 of the teacher's accuracy</source>
        <translation>Erhalt: %1 der Genauigkeit des Lehrers</translation>
    </message>
    <message>
        <source>Retention: – (the run had no dev set, so no accuracy was measured)</source>
        <translation>Erhalt: – (der Lauf hatte keine Dev-Daten, daher wurde keine Genauigkeit gemessen)</translation>
    </message>
    <message>
        <source>Speed-up: %1 at batch 1, %2 at batch 32 (inputs of %3 tokens)</source>
        <translation>Beschleunigung: %1 bei Batch 1, %2 bei Batch 32 (Eingaben mit %3 Token)</translation>
    </message>
    <message>
        <source>Speed-up: %1 at batch 1, %2 at batch 32</source>
        <translation>Beschleunigung: %1 bei Batch 1, %2 bei Batch 32</translation>
    </message>
    <message>
        <source>Compression: %1 (teacher parameters / student parameters)</source>
        <translation>Kompression: %1 (Parameter des Lehrers / Parameter des Schülers)</translation>
    </message>
    <message>
        <source>Accuracy: %1</source>
        <translation>Genauigkeit: %1</translation>
    </message>
    <message>
        <source>Retention: %1 of the teacher's %2</source>
        <translation>Retention: %1 des Werts des Lehrers (%2)</translation>
    </message>
    <message>
        <source>Retention: – (the teacher's %1 is not above 0)</source>
        <translation>Retention: – (der Wert des Lehrers für %1 ist nicht größer als 0)</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>MCC</source>
        <translation>MCC</translation>
    </message>
    <message>
        <source>Pearson</source>
        <translation>Pearson</translation>
    </message>
    <message>
        <source>Spearman</source>
        <translation>Spearman</translation>
    </message>
    <message>
        <source>Micro F1</source>
        <translation>Mikro-F1</translation>
    </message>
    <message>
        <source>Macro F1</source>
        <translation>Makro-F1</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>Exakte Übereinstimmung</translation>
    </message>
    <message>
        <source>Entity F1</source>
        <translation>Entitäts-F1</translation>
    </message>
    <message>
        <source>Entity precision</source>
        <translation>Entitäts-Präzision</translation>
    </message>
    <message>
        <source>Entity recall</source>
        <translation>Entitäts-Recall</translation>
    </message>
</context>
<context>
    <name>retort::widgets::RunFigures</name>
    <message>
        <source>%1%</source>
        <extracomment>A percentage: %1 is the number (German "91,2 %")</extracomment>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>retort::widgets::RunHistoryView</name>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Student accuracy</source>
        <translation>Genauigkeit des Schülers</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Erhalt</translation>
    </message>
    <message>
        <source>Speed-up</source>
        <translation>Beschleunigung</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Kompression</translation>
    </message>
    <message>
        <source>Tick the runs to compare</source>
        <translation>Die zu vergleichenden Läufe ankreuzen</translation>
    </message>
    <message>
        <source>The student's accuracy on the dev set (– when the run had none)</source>
        <translation>Die Genauigkeit des Schülers auf den Dev-Daten (–, wenn der Lauf keine hatte)</translation>
    </message>
    <message>
        <source>Student accuracy as a percentage of the teacher's</source>
        <translation>Genauigkeit des Schülers in Prozent der Genauigkeit des Lehrers</translation>
    </message>
    <message>
        <source>Teacher latency / student latency, at batch 1</source>
        <translation>Latenz des Lehrers / Latenz des Schülers, bei Batch 1</translation>
    </message>
    <message>
        <source>Teacher parameters / student parameters</source>
        <translation>Parameter des Lehrers / Parameter des Schülers</translation>
    </message>
    <message>
        <source>Show curves</source>
        <translation>Kurven zeigen</translation>
    </message>
    <message>
        <source>Draw the selected run's loss curves over the current ones</source>
        <translation>Die Verlustkurven des gewählten Laufs über die aktuellen zeichnen</translation>
    </message>
    <message>
        <source>No runs yet: each finished run of the experiment is listed here.</source>
        <translation>Noch keine Läufe: Jeder beendete Lauf des Experiments wird hier aufgeführt.</translation>
    </message>
    <message>
        <source>Runs of this experiment: select one to see its results.</source>
        <translation>Läufe dieses Experiments: einen auswählen, um seine Ergebnisse zu sehen.</translation>
    </message>
    <message>
        <source>%1 (stopped early)</source>
        <translation>%1 (vorzeitig angehalten)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Continue the selected interrupted run from its last checkpoint, exactly where it stopped</source>
        <translation>Den ausgewählten unterbrochenen Lauf ab seinem letzten Checkpoint fortsetzen, genau dort, wo er stehen blieb</translation>
    </message>
    <message>
        <source>%1 (interrupted at step %2 of %3)</source>
        <translation>%1 (unterbrochen bei Schritt %2 von %3)</translation>
    </message>
    <message>
        <source>%1 (interrupted at step %2)</source>
        <translation>%1 (unterbrochen bei Schritt %2)</translation>
    </message>
</context>
</TS>