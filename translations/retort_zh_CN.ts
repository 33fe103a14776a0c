<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>retort::app::MainWindow</name>
    <message>
        <source>Open Checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <source>About Retort</source>
        <translation>关于 Retort</translation>
    </message>
    <message>
        <source>&lt;b&gt;Retort %1&lt;/b&gt;&lt;p&gt;A workbench for knowledge distillation of BERT models: pick a teacher and a student, watch the student learn, and judge what it keeps.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Retort %1&lt;/b&gt;&lt;p&gt;BERT 模型知识蒸馏工作台：选择教师模型和学生模型，观察学生学习的过程，并评估它保留了多少能力。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Retort — distillation workbench</source>
        <translation>Retort — 蒸馏工作台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Checkpoint…</source>
        <translation>打开检查点(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a model directory in the Hugging Face layout</source>
        <translation>打开 Hugging Face 格式的模型目录</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Retort</source>
        <translation>关于 Retort(&amp;A)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Could not open the checkpoint: %1</source>
        <translation>无法打开检查点：%1</translation>
    </message>
</context>
<context>
    <name>retort::widgets::ModelSummaryView</name>
    <message>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>No model is open. Use File ▸ Open Checkpoint… to look at one.</source>
        <translation>尚未打开模型。请使用 文件 ▸ 打开检查点… 查看模型。</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层维度</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>Feed-forward size</source>
        <translation>前馈层维度</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Longest input</source>
        <translation>最长输入</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>none (no classifier head)</source>
        <translation>无（没有分类头）</translation>
    </message>
    <message>
        <source>Masked-LM head</source>
        <translation>掩码语言模型头</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Size (float32)</source>
        <translation>大小（float32）</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
</context>
</TS>