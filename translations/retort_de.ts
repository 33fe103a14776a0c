<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
        <source>Retort — distillation workbench</source>
        <translation>Retort — Werkbank für Destillation</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Checkpoint…</source>
        <translation>Checkpoint ö&amp;ffnen …</translation>
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
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Could not open the checkpoint: %1</source>
        <translation>Der Checkpoint konnte nicht geöffnet werden: %1</translation>
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
</TS>