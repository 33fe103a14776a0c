<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
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
        <source>FFN size</source>
        <translation>FFN 维度</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Retort: a workbench for knowledge distillation of BERT models</source>
        <translation>Retort：BERT 模型知识蒸馏工作台</translation>
    </message>
    <message>
        <source>An experiment file, a preset name (demo, tinybert, ...) or a checkpoint directory</source>
        <translation>实验文件、预设名称（demo、tinybert 等）或检查点目录</translation>
    </message>
    <message>
        <source>Start the experiment right away</source>
        <translation>立即开始实验</translation>
    </message>
    <message>
        <source>While running, save a picture of each view into DIR</source>
        <translation>运行期间将每个视图的图片保存到 DIR</translation>
    </message>
    <message>
        <source>Quit when the run ends</source>
        <translation>运行结束后退出</translation>
    </message>
    <message>
        <source>Start in presenter mode</source>
        <translation>以演示模式启动</translation>
    </message>
</context>
<context>
    <name>retort::app::DocumentController</name>
    <message>
        <source>Open Experiment</source>
        <translation>打开实验</translation>
    </message>
    <message>
        <source>Experiments (*.json)</source>
        <translation>实验 (*.json)</translation>
    </message>
    <message>
        <source>Save Experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>&amp;New Experiment</source>
        <translation>新建实验(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open Experiment…</source>
        <translation>打开实验(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Could not open the experiment: %1</source>
        <translation>无法打开实验：%1</translation>
    </message>
    <message>
        <source>Preset "%1" loaded; Start runs it.</source>
        <translation>已加载预设“%1”；点击“开始”即可运行。</translation>
    </message>
    <message>
        <source>Could not open the preset: %1</source>
        <translation>无法打开预设：%1</translation>
    </message>
    <message>
        <source>Could not save the experiment: %1</source>
        <translation>无法保存实验：%1</translation>
    </message>
    <message>
        <source>Could not save the experiment: %1: %2</source>
        <translation>无法保存实验：%1：%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The experiment has unsaved changes. Save them?</source>
        <translation>实验有未保存的更改。是否保存？</translation>
    </message>
</context>
<context>
    <name>retort::app::HistoryController</name>
    <message>
        <source>BiLSTM student</source>
        <translation>BiLSTM 学生模型</translation>
    </message>
    <message numerus="yes">
        <source>student %1×%2, %n stage(s)</source>
        <translation><numerusform>学生 %1×%2，%n 个阶段</numerusform></translation>
    </message>
    <message>
        <source>total</source>
        <translation>总计</translation>
    </message>
</context>
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
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
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
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Could not open the checkpoint: %1</source>
        <translation>无法打开检查点：%1</translation>
    </message>
    <message>
        <source>Open &amp;Checkpoint…</source>
        <translation>打开检查点(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presenter Mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Larger fonts and views, for a projector</source>
        <translation>更大的字体和视图，适用于投影仪</translation>
    </message>
    <message>
        <source>Loss curves</source>
        <translation>损失曲线</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>%1[*] — Retort</source>
        <translation>%1[*] — Retort</translation>
    </message>
    <message>
        <source>The experiment cannot run: %1</source>
        <translation>实验无法运行：%1</translation>
    </message>
    <message>
        <source>The layer mapping is invalid: %1</source>
        <translation>层映射无效：%1</translation>
    </message>
    <message>
        <source>No attention for the probe: %1</source>
        <translation>无法计算探测句子的注意力：%1</translation>
    </message>
    <message>
        <source>The new probe sentence is used from the next attention snapshot.</source>
        <translation>新的探测句子将从下一次注意力快照起使用。</translation>
    </message>
    <message>
        <source>The last run of this experiment was interrupted at step %1 of %2; Run ▸ Resume Interrupted Run continues it.</source>
        <translation>此实验的上一次运行在第 %1 步（共 %2 步）中断；“运行 ▸ 继续中断的运行”可继续它。</translation>
    </message>
    <message>
        <source>The last run of this experiment was interrupted at step %1; Run ▸ Resume Interrupted Run continues it.</source>
        <translation>此实验的上一次运行在第 %1 步中断；“运行 ▸ 继续中断的运行”可继续它。</translation>
    </message>
    <message>
        <source>Resume &amp;Interrupted Run</source>
        <translation>继续中断的运行(&amp;I)</translation>
    </message>
    <message>
        <source>Continue this experiment's last run, which was killed or stopped, from its newest checkpoint</source>
        <translation>从最新的检查点继续此实验被终止或停止的上一次运行</translation>
    </message>
</context>
<context>
    <name>retort::app::SetupPanels</name>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>The task: data files and columns</source>
        <translation>任务：数据文件与列</translation>
    </message>
    <message>
        <source>The teacher model</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <source>The student model</source>
        <translation>学生模型</translation>
    </message>
    <message>
        <source>Which student layer learns from which teacher layer</source>
        <translation>学生的哪一层向教师的哪一层学习</translation>
    </message>
    <message>
        <source>Training stages and their loss weights</source>
        <translation>训练阶段及其损失权重</translation>
    </message>
</context>
<context>
    <name>retort::app::StagesPanel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Add stage</source>
        <translation>添加阶段</translation>
    </message>
    <message>
        <source>Remove stage</source>
        <translation>删除阶段</translation>
    </message>
    <message>
        <source>Loss weights of the selected stage:</source>
        <translation>所选阶段的损失权重：</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率计划</translation>
    </message>
    <message>
        <source>Warmup</source>
        <translation>预热</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Kinds: general (unlabeled corpus), intermediate (attention and hidden states), prediction (soft targets), finetune (labels), distill (any mix). Schedule: linear (warmup, then linear decay) or constant; warmup: a fraction of the steps or a step count</source>
        <translation>类型：general（无标签语料）、intermediate（注意力和隐藏状态）、prediction（软目标）、finetune（标签）、distill（任意组合）。学习率计划：linear（先预热，再线性衰减）或 constant；预热：步数的比例或步数</translation>
    </message>
</context>
<context>
    <name>retort::app::StudentPanel</name>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>BERT</source>
        <translation>BERT</translation>
    </message>
    <message>
        <source>BiLSTM (Tang et al.)</source>
        <translation>BiLSTM（Tang 等人）</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>From teacher layers (DistilBERT)</source>
        <translation>取自教师层（DistilBERT）</translation>
    </message>
    <message>
        <source>From a checkpoint</source>
        <translation>取自检查点</translation>
    </message>
    <message>
        <source>%1 M parameters, %2 MB (float32)</source>
        <translation>%1 M 个参数，%2 MB（float32）</translation>
    </message>
    <message>
        <source>The hidden size must be a multiple of the heads.</source>
        <translation>隐藏层维度必须是头数的整数倍。</translation>
    </message>
    <message>
        <source>%1× fewer parameters than the teacher; about %2× faster (estimate from the matrix products)</source>
        <translation>参数量比教师少 %1×；速度约快 %2×（根据矩阵乘法估算）</translation>
    </message>
    <message>
        <source>Student checkpoint</source>
        <translation>学生检查点</translation>
    </message>
    <message>
        <source>For "From a checkpoint": e.g. a student after general distillation</source>
        <translation>用于“从检查点”：例如经过通用蒸馏的学生</translation>
    </message>
</context>
<context>
    <name>retort::app::TaskPanel</name>
    <message>
        <source>Choose a data file</source>
        <translation>选择数据文件</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>Dev data</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Max length (tokens)</source>
        <translation>最大长度（词元）</translation>
    </message>
    <message>
        <source>Use the bundled demo</source>
        <translation>使用内置演示</translation>
    </message>
    <message>
        <source>State of the Union passages labeled with their era (public domain)</source>
        <translation>国情咨文段落，按所属时代标注（公有领域）</translation>
    </message>
    <message>
        <source>First rows of the training data:</source>
        <translation>训练数据的前几行：</translation>
    </message>
    <message>
        <source>A TSV, CSV or JSON Lines file with a header</source>
        <translation>带表头的 TSV、CSV 或 JSON Lines 文件</translation>
    </message>
    <message>
        <source>Optional: evaluation data with the same columns</source>
        <translation>可选：列相同的评估数据</translation>
    </message>
    <message>
        <source>No training data chosen.</source>
        <translation>尚未选择训练数据。</translation>
    </message>
    <message numerus="yes">
        <source>%n example(s); labels: %1</source>
        <translation><numerusform>%n 个样本；标签：%1</numerusform></translation>
    </message>
    <message>
        <source>Cannot read the training data: %1</source>
        <translation>无法读取训练数据：%1</translation>
    </message>
    <message>
        <source>Reading the training data…</source>
        <translation>正在读取训练数据…</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>F1 (of class 1)</source>
        <translation>F1（类别 1）</translation>
    </message>
    <message>
        <source>Matthews correlation (MCC)</source>
        <translation>马修斯相关系数（MCC）</translation>
    </message>
    <message>
        <source>Task kind</source>
        <translation>任务类型</translation>
    </message>
    <message>
        <source>Classification (one class per example)</source>
        <translation>分类（每个样本一个类别）</translation>
    </message>
    <message>
        <source>Regression (a number per example)</source>
        <translation>回归（每个样本一个数值）</translation>
    </message>
    <message>
        <source>Multi-label (any number of classes per example)</source>
        <translation>多标签（每个样本任意多个类别）</translation>
    </message>
    <message>
        <source>The task's headline metric: it picks the best student and gives the retention. F1 needs two classes (GLUE reports MCC for CoLA, F1 for MRPC and QQP, Pearson for STS-B).</source>
        <translation>任务的主要指标：用它挑选最佳学生模型并计算保留率。F1 需要两个类别（GLUE 对 CoLA 报告 MCC，对 MRPC 和 QQP 报告 F1，对 STS-B 报告 Pearson）。</translation>
    </message>
    <message>
        <source>Pearson correlation</source>
        <translation>Pearson 相关系数</translation>
    </message>
    <message>
        <source>Spearman rank correlation</source>
        <translation>Spearman 秩相关系数</translation>
    </message>
    <message>
        <source>Micro F1 (over all classes)</source>
        <translation>微平均 F1（对所有类别）</translation>
    </message>
    <message>
        <source>Macro F1 (mean of the classes' F1)</source>
        <translation>宏平均 F1（各类别 F1 的平均）</translation>
    </message>
    <message>
        <source>Exact match (every class of an example right)</source>
        <translation>完全匹配（样本的每个类别都正确）</translation>
    </message>
    <message>
        <source>a number in “%1”</source>
        <translation>“%1”中的数值</translation>
    </message>
    <message>
        <source>Data (*.tsv *.csv *.jsonl *.json *.conll *.iob *.bio);;All files (*)</source>
        <translation>数据 (*.tsv *.csv *.jsonl *.json *.conll *.iob *.bio);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Token classification (a tag per word: NER, tagging)</source>
        <translation>词元分类（每个词一个标签：命名实体识别、序列标注）</translation>
    </message>
    <message>
        <source>Guessed from a newly chosen training file: numbers with decimals are a regression, labels joined by commas or JSON lists are multi-label, CoNLL files and JSON lists of tokens are token classification. Change it if the guess is wrong.</source>
        <translation>根据新选择的训练文件推测：带小数的数字为回归，用逗号连接的标签或 JSON 列表为多标签，CoNLL 文件和词元的 JSON 列表为词元分类。如果推测有误，请更改。</translation>
    </message>
    <message>
        <source>Entity F1 (seqeval)</source>
        <translation>实体 F1（seqeval）</translation>
    </message>
    <message>
        <source>Entity precision</source>
        <translation>实体精确率</translation>
    </message>
    <message>
        <source>Entity recall</source>
        <translation>实体召回率</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>retort::app::TeacherPanel</name>
    <message>
        <source>Open Checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Train the teacher in Retort (no checkpoint)</source>
        <translation>在 Retort 中训练教师（不使用检查点）</translation>
    </message>
    <message>
        <source>A model directory in the Hugging Face layout</source>
        <translation>Hugging Face 格式的模型目录</translation>
    </message>
    <message>
        <source>Retort trains this teacher: %1 M parameters (with an 8,000-piece vocabulary).</source>
        <translation>Retort 将训练此教师：%1 M 个参数（词表含 8000 个子词）。</translation>
    </message>
    <message>
        <source>%1 layers, hidden %2, %3 heads, FFN %4; %5 M parameters, %6 labels</source>
        <translation>%1 层，隐藏维度 %2，%3 个头，FFN %4；%5 M 个参数，%6 个标签</translation>
    </message>
    <message>
        <source>No teacher chosen.</source>
        <translation>尚未选择教师。</translation>
    </message>
    <message>
        <source>Cannot read the teacher: %1</source>
        <translation>无法读取教师：%1</translation>
    </message>
    <message>
        <source>Fine-tune on the task</source>
        <translation>在任务上微调</translation>
    </message>
    <message>
        <source>When needed (no classifier, or other classes)</source>
        <translation>需要时（无分类器或类别不同）</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>总是</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
</context>
<context>
    <name>retort::app::TrainingController</name>
    <message>
        <source>Stage %1 of %2: %3</source>
        <translation>阶段 %1/%2：%3</translation>
    </message>
    <message>
        <source>Start the distillation run (Ctrl+R)</source>
        <translation>开始蒸馏运行（Ctrl+R）</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Stop the run; the student trained so far is kept</source>
        <translation>停止运行；保留截至目前训练的学生模型</translation>
    </message>
    <message>
        <source>&amp;Export Student…</source>
        <translation>导出学生模型(&amp;E)…</translation>
    </message>
    <message>
        <source>previous run</source>
        <translation>上次运行</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <source>Stopping… the student trained so far is kept</source>
        <translation>正在停止…将保留截至目前训练的学生模型</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>%1 examples/s · ETA %2</source>
        <translation>%1 个样本/秒 · 预计剩余 %2</translation>
    </message>
    <message>
        <source>Run finished in %1; files in %2</source>
        <translation>运行完成，用时 %1；文件位于 %2</translation>
    </message>
    <message>
        <source>The run stopped with an error: %1</source>
        <translation>运行因错误而停止：%1</translation>
    </message>
    <message>
        <source>Export the student to</source>
        <translation>将学生模型导出到</translation>
    </message>
    <message>
        <source>Could not export the student: %1</source>
        <translation>无法导出学生模型：%1</translation>
    </message>
    <message>
        <source>Student exported to %1 (Hugging Face layout)</source>
        <translation>学生模型已导出到 %1（Hugging Face 格式）</translation>
    </message>
    <message>
        <source>%1 has no checkpoint to resume from</source>
        <translation>%1 没有可用于继续的检查点</translation>
    </message>
    <message>
        <source>Resuming %1 from step %2</source>
        <translation>正在从第 %2 步继续 %1</translation>
    </message>
    <message>
        <source>Run stopped; the student so far and a checkpoint are in %1 (Run ▸ Resume Interrupted Run continues it)</source>
        <translation>运行已停止；目前的学生模型和一个检查点保存在 %1（“运行 ▸ 继续中断的运行”可继续它）</translation>
    </message>
    <message>
        <source>Pro&amp;cesses:</source>
        <translation>进程数(&amp;C):</translation>
    </message>
    <message>
        <source>Local processes the run is split over (data parallel): each trains its share of every batch, and the charts show the first one's, which are the run's. Pause is not available with more than one.</source>
        <translation>运行分摊到的本地进程数（数据并行）：每个进程训练每个批次中属于自己的部分，图表显示第一个进程的曲线，即整个运行的曲线。多于一个进程时无法暂停。</translation>
    </message>
    <message>
        <source>Running on %1 processes (data parallel); the charts show rank 0</source>
        <translation>正在 %1 个进程上运行（数据并行）；图表显示 rank 0 的曲线</translation>
    </message>
</context>
<context>
    <name>retort::widgets::AttentionGrid</name>
    <message>
        <source>No attention to show yet.</source>
        <translation>暂无可显示的注意力。</translation>
    </message>
    <message>
        <source>Student layer %1, head %2</source>
        <translation>学生第 %1 层，第 %2 个头</translation>
    </message>
    <message>
        <source>Teacher layer %1, head %2</source>
        <translation>教师第 %1 层，第 %2 个头</translation>
    </message>
    <message>
        <source>Student %1</source>
        <translation>学生 %1</translation>
    </message>
    <message>
        <source>Teacher %1</source>
        <translation>教师 %1</translation>
    </message>
</context>
<context>
    <name>retort::widgets::AttentionHeatmap</name>
    <message>
        <source>The attention data does not fit the tokens (%1 numbers for %2 heads of %3 tokens).</source>
        <translation>注意力数据与词元不符（%1 个数值，%2 个头，%3 个词元）。</translation>
    </message>
    <message>
        <source>The difference needs the student's and the teacher's attention.</source>
        <translation>差值需要学生和教师两者的注意力。</translation>
    </message>
    <message>
        <source>The student's and the teacher's attention cover different tokens (%1 and %2).</source>
        <translation>学生和教师的注意力对应的词元数不同（%1 和 %2）。</translation>
    </message>
    <message>
        <source>Student − teacher</source>
        <translation>学生 − 教师</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Query: %1 (#%2)
Key: %3 (#%4)
%5: %6</source>
        <translation>查询（Query）：%1（#%2）
键（Key）：%3（#%4）
%5：%6</translation>
    </message>
    <message>
        <source>No attention to show yet.</source>
        <translation>暂无可显示的注意力。</translation>
    </message>
</context>
<context>
    <name>retort::widgets::AttentionView</name>
    <message>
        <source>&amp;Probe sentence:</source>
        <translation>探测句子(&amp;P)：</translation>
    </message>
    <message>
        <source>Type a sentence and press Enter to see how both models attend to it</source>
        <translation>输入一个句子并按回车，查看两个模型如何关注它</translation>
    </message>
    <message>
        <source>The sentence whose attention is shown; it is sent to the models when you press Enter</source>
        <translation>显示其注意力的句子；按回车后发送给模型</translation>
    </message>
    <message>
        <source>&amp;Layers:</source>
        <translation>层(&amp;L)：</translation>
    </message>
    <message>
        <source>The mapped pair of layers: the student layer that learns from a teacher layer</source>
        <translation>映射的层对：向某个教师层学习的学生层</translation>
    </message>
    <message>
        <source>&amp;Head:</source>
        <translation>头(&amp;H)：</translation>
    </message>
    <message>
        <source>One attention head of the student, or the average of all heads. When the teacher has more heads, the group of teacher heads that the attention loss compares with it is averaged.</source>
        <translation>学生的一个注意力头，或所有头的平均。若教师的头更多，则对注意力损失与之比较的那组教师头取平均。</translation>
    </message>
    <message>
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Attention weights after softmax: each row sums to 1</source>
        <translation>softmax 之后的注意力权重：每行之和为 1</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Raw attention scores QKᵀ/√d before softmax: what TinyBERT's attention loss compares</source>
        <translation>softmax 之前的原始注意力分数 QKᵀ/√d：TinyBERT 的注意力损失所比较的量</translation>
    </message>
    <message>
        <source>&amp;Difference</source>
        <translation>差值(&amp;D)</translation>
    </message>
    <message>
        <source>Also show student − teacher, cell by cell (red: the student attends more, blue: less)</source>
        <translation>另外逐格显示学生 − 教师（红色：学生关注更多，蓝色：更少）</translation>
    </message>
    <message>
        <source>Student %1 ↔ teacher %2</source>
        <translation>学生 %1 ↔ 教师 %2</translation>
    </message>
    <message>
        <source>Average of all heads</source>
        <translation>所有头的平均</translation>
    </message>
    <message>
        <source>Head %1</source>
        <translation>第 %1 个头</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Student − teacher</source>
        <translation>学生 − 教师</translation>
    </message>
    <message>
        <source>No attention yet: it is recorded during a run, every few steps, on the probe sentence.</source>
        <translation>暂无注意力：运行期间每隔几步会在探测句子上记录一次。</translation>
    </message>
    <message>
        <source>Student, layer %1</source>
        <translation>学生，第 %1 层</translation>
    </message>
    <message>
        <source>Teacher, layer %1, heads %2–%3 averaged</source>
        <translation>教师，第 %1 层，第 %2–%3 个头的平均</translation>
    </message>
    <message>
        <source>Teacher, layer %1</source>
        <translation>教师，第 %1 层</translation>
    </message>
    <message>
        <source>Stage “%1”, step %2: %3 tokens, the student has %4 heads and the teacher %5.</source>
        <translation>阶段“%1”，第 %2 步：%3 个词元，学生有 %4 个头，教师有 %5 个。</translation>
    </message>
    <message>
        <source>Teacher layer %1</source>
        <translation>教师第 %1 层</translation>
    </message>
    <message>
        <source>The student's attention appears here once training starts.</source>
        <translation>训练开始后，学生的注意力将显示在这里。</translation>
    </message>
    <message>
        <source>The difference appears once training starts.</source>
        <translation>训练开始后将显示差异。</translation>
    </message>
    <message>
        <source>Before training: the teacher's attention on the probe sentence (%1 tokens, %2 heads). The student's is recorded during the run.</source>
        <translation>训练前：教师在探测句上的注意力（%1 个词元，%2 个头）。学生的注意力在运行期间记录。</translation>
    </message>
</context>
<context>
    <name>retort::widgets::LayerMappingEditor</name>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>隐藏状态</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Student layer (0 = the embedding output)</source>
        <translation>学生层（0 = 嵌入层输出）</translation>
    </message>
    <message>
        <source>Teacher layer (0 = the embedding output)</source>
        <translation>教师层（0 = 嵌入层输出）</translation>
    </message>
    <message>
        <source>Match the attention scores of the pair (not possible on layer 0, the embeddings)</source>
        <translation>匹配该层对的注意力分数（在第 0 层即嵌入层上不可用）</translation>
    </message>
    <message>
        <source>Match the hidden states of the pair</source>
        <translation>匹配该层对的隐藏状态</translation>
    </message>
    <message>
        <source>Factor on this pair's losses</source>
        <translation>该层对损失的系数</translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation>均匀</translation>
    </message>
    <message>
        <source>Last layers</source>
        <translation>最后几层</translation>
    </message>
    <message>
        <source>DistilBERT-style</source>
        <translation>DistilBERT 式</translation>
    </message>
    <message>
        <source>Drag from a layer to a layer of the other model to connect them. Drag the end of a link to another layer to move it, or away to remove it; double-click or right-click a link to remove it.</source>
        <translation>从一个层拖到另一个模型的某层即可连接。拖动连线的一端到另一层可移动它，拖到空白处则删除；双击或右键单击连线也可删除。</translation>
    </message>
    <message>
        <source>Needs a student with at least one layer and no more layers than the teacher.</source>
        <translation>需要学生至少有一层，且层数不多于教师。</translation>
    </message>
    <message>
        <source>TinyBERT's uniform mapping: student layer m learns from teacher layer m·N/M (rounded), so the student's layers spread evenly over the teacher's; plus the embeddings (0 → 0).</source>
        <translation>TinyBERT 的均匀映射：学生第 m 层向教师第 m·N/M 层（取整）学习，使学生的各层均匀分布在教师的层上；另加嵌入层（0 → 0）。</translation>
    </message>
    <message>
        <source>Student layer m learns from teacher layer N − M + m: the teacher's last layers; plus the embeddings (0 → 0).</source>
        <translation>学生第 m 层向教师第 N − M + m 层学习，即教师的最后几层；另加嵌入层（0 → 0）。</translation>
    </message>
    <message>
        <source>Student layer m learns from teacher layer 2m: every other layer of the teacher, as DistilBERT keeps one teacher layer in two; plus the embeddings (0 → 0).</source>
        <translation>学生第 m 层向教师第 2m 层学习，即教师的每隔一层，如同 DistilBERT 在两层教师中保留一层；另加嵌入层（0 → 0）。</translation>
    </message>
    <message>
        <source>Needs a teacher with at least twice as many layers as the student.</source>
        <translation>需要教师的层数至少是学生的两倍。</translation>
    </message>
    <message>
        <source>the layer counts of both models are not set</source>
        <translation>两个模型的层数尚未设置</translation>
    </message>
    <message>
        <source>no layer pair is mapped, so nothing would be matched</source>
        <translation>没有映射任何层对，因此不会匹配任何内容</translation>
    </message>
    <message>
        <source>student layer %1 does not exist (the student has layers 0–%2)</source>
        <translation>学生第 %1 层不存在（学生的层为 0–%2）</translation>
    </message>
    <message>
        <source>teacher layer %1 does not exist (the teacher has layers 0–%2)</source>
        <translation>教师第 %1 层不存在（教师的层为 0–%2）</translation>
    </message>
    <message>
        <source>student layer %1 is mapped twice</source>
        <translation>学生第 %1 层被映射了两次</translation>
    </message>
    <message>
        <source>student layer %1 is mapped %2 times</source>
        <translation>学生第 %1 层被映射了 %2 次</translation>
    </message>
    <message>
        <source>the embedding pair (0) cannot match attention: the embedding output has none</source>
        <translation>嵌入层对（0）无法匹配注意力：嵌入层输出没有注意力</translation>
    </message>
    <message>
        <source>student layer %1 → teacher layer %2 cannot match attention: layer 0 (the embedding output) has none</source>
        <translation>学生第 %1 层 → 教师第 %2 层无法匹配注意力：第 0 层（嵌入层输出）没有注意力</translation>
    </message>
    <message>
        <source>the weight of student layer %1 → teacher layer %2 must be a number ≥ 0</source>
        <translation>学生第 %1 层 → 教师第 %2 层的权重必须是 ≥ 0 的数</translation>
    </message>
    <message>
        <source>student layer %1 → teacher layer %2 matches nothing: attention and hidden states are both off</source>
        <translation>学生第 %1 层 → 教师第 %2 层不匹配任何内容：注意力和隐藏状态都已关闭</translation>
    </message>
    <message>
        <source>Layer pairs mapped: %1. The mapping is valid.</source>
        <translation>已映射的层对：%1。该映射有效。</translation>
    </message>
    <message>
        <source>This mapping cannot be used:</source>
        <translation>此映射无法使用：</translation>
    </message>
</context>
<context>
    <name>retort::widgets::LossChart</name>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Exponential moving average of the curves: 0 shows every logged value, 0.99 a very smooth trend. The exported CSV always holds the raw values.</source>
        <translation>曲线的指数移动平均：0 显示每个记录值，0.99 显示非常平滑的趋势。导出的 CSV 始终包含原始值。</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Show the loss axis on a logarithmic scale</source>
        <translation>以对数刻度显示损失轴</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Fit the axes to the data again after zooming or panning (wheel: zoom, drag: pan)</source>
        <translation>缩放或平移后让坐标轴重新适应数据（滚轮：缩放，拖动：平移）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Image (PNG)…</source>
        <translation>图像（PNG）…</translation>
    </message>
    <message>
        <source>Document (PDF)…</source>
        <translation>文档（PDF）…</translation>
    </message>
    <message>
        <source>Data (CSV)…</source>
        <translation>数据（CSV）…</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Dev accuracy</source>
        <translation>验证集准确率</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export the loss curves</source>
        <translation>导出损失曲线</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not write %1: the image could not be encoded</source>
        <translation>无法写入 %1：图像无法编码</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Could not replace %1</source>
        <translation>无法替换 %1</translation>
    </message>
</context>
<context>
    <name>retort::widgets::LossWeightsPanel</name>
    <message>
        <source>&amp;Soft targets</source>
        <translation>软目标(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Hard labels</source>
        <translation>硬标签(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Logit MSE</source>
        <translation>Logit 均方误差(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Cosine</source>
        <translation>余弦(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Masked LM</source>
        <translation>掩码语言模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Attention</source>
        <translation>注意力(&amp;A)</translation>
    </message>
    <message>
        <source>Hi&amp;dden states</source>
        <translation>隐藏状态(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Embeddings</source>
        <translation>嵌入(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Temperature</source>
        <translation>温度(&amp;T)</translation>
    </message>
    <message>
        <source>Soft-target l&amp;oss</source>
        <translation>软目标损失(&amp;O)</translation>
    </message>
    <message>
        <source>KL divergence × T² (Hinton, DistilBERT)</source>
        <translation>KL 散度 × T²（Hinton，DistilBERT）</translation>
    </message>
    <message>
        <source>Cross-entropy (TinyBERT)</source>
        <translation>交叉熵（TinyBERT）</translation>
    </message>
    <message>
        <source>How the soft targets are compared: the KL divergence between the softened distributions, multiplied by T² so that its gradients keep their size (Hinton et al., DistilBERT), or TinyBERT's plain cross-entropy, averaged over the examples and classes.</source>
        <translation>软目标的比较方式：软化后分布之间的 KL 散度乘以 T²，使其梯度保持原有大小（Hinton 等人，DistilBERT）；或 TinyBERT 的普通交叉熵，对样本和类别取平均。</translation>
    </message>
    <message>
        <source>The student minimises the weighted sum of these terms. A weight of 0 turns a term off: it is not computed at all.</source>
        <translation>学生最小化这些项的加权和。权重为 0 会关闭该项：它完全不会被计算。</translation>
    </message>
    <message>
        <source>Click, then click a control to read what it does</source>
        <translation>点击此处，再点击某个控件即可查看其作用</translation>
    </message>
    <message>
        <source>Soft targets: the student learns the teacher's whole output distribution, not just its top answer, with both softened by the temperature (Hinton et al.; DistilBERT's L_ce). Compared as chosen under Soft-target loss.</source>
        <translation>软目标：学生学习教师的完整输出分布，而不仅是其最高的答案，两者都经温度软化（Hinton 等人；DistilBERT 的 L_ce）。比较方式见“软目标损失”中的选择。</translation>
    </message>
    <message>
        <source>Hard labels: ordinary cross-entropy with the gold labels of the training data, as in plain fine-tuning.</source>
        <translation>硬标签：与训练数据的真实标签之间的普通交叉熵，与普通微调相同。</translation>
    </message>
    <message>
        <source>Logit MSE: mean squared error between the student's and the teacher's logits, before softmax (Tang et al., distilling BERT into a BiLSTM).</source>
        <translation>Logit 均方误差：学生与教师在 softmax 之前的 logits 之间的均方误差（Tang 等人，将 BERT 蒸馏到 BiLSTM）。</translation>
    </message>
    <message>
        <source>Cosine: 1 − the cosine similarity of the student's and the teacher's hidden states, so that they point the same way (DistilBERT's L_cos).</source>
        <translation>余弦：1 − 学生与教师隐藏状态的余弦相似度，使二者指向相同方向（DistilBERT 的 L_cos）。</translation>
    </message>
    <message>
        <source>Masked LM: the student guesses masked-out words of the text itself, as in BERT's pre-training (DistilBERT's L_mlm). Needs a student with a masked-LM head.</source>
        <translation>掩码语言模型：学生自己猜测文本中被遮盖的词，与 BERT 的预训练相同（DistilBERT 的 L_mlm）。需要带掩码语言模型头的学生。</translation>
    </message>
    <message>
        <source>Attention: mean squared error between the student's and the teacher's pre-softmax attention scores of each mapped layer pair (TinyBERT).</source>
        <translation>注意力：每个映射层对中，学生与教师在 softmax 之前的注意力分数之间的均方误差（TinyBERT）。</translation>
    </message>
    <message>
        <source>Hidden states: mean squared error between the student's hidden states, projected to the teacher's size by a learned matrix W_h, and the teacher's, for each mapped layer pair (TinyBERT).</source>
        <translation>隐藏状态：每个映射层对中，学生的隐藏状态经学习得到的矩阵 W_h 投影到教师的维度后，与教师隐藏状态之间的均方误差（TinyBERT）。</translation>
    </message>
    <message>
        <source>Embeddings: mean squared error between the student's embedding output, projected by a learned matrix W_e, and the teacher's (TinyBERT).</source>
        <translation>嵌入：学生的嵌入层输出经学习得到的矩阵 W_e 投影后，与教师嵌入层输出之间的均方误差（TinyBERT）。</translation>
    </message>
    <message>
        <source>Temperature T: both models' logits are divided by T before the softmax of the soft targets. T &gt; 1 flattens the teacher's distribution, so that the small probabilities it gives to wrong classes (its "dark knowledge") teach more. DistilBERT uses 2, TinyBERT 1.</source>
        <translation>温度 T：在软目标的 softmax 之前，两个模型的 logits 都除以 T。T &gt; 1 会使教师的分布更平坦，让它给错误类别的小概率（其“暗知识”）发挥更多作用。DistilBERT 使用 2，TinyBERT 使用 1。</translation>
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
<context>
    <name>retort::widgets::ResultsView</name>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Student / teacher</source>
        <translation>学生 / 教师</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>大小（MB）</translation>
    </message>
    <message>
        <source>Latency batch 1 (ms)</source>
        <translation>延迟，批大小 1（毫秒）</translation>
    </message>
    <message>
        <source>Latency batch 32 (ms)</source>
        <translation>延迟，批大小 32（毫秒）</translation>
    </message>
    <message>
        <source>The student's figure as a percentage of the teacher's</source>
        <translation>学生的数值占教师数值的百分比</translation>
    </message>
    <message>
        <source>Accuracy on the dev set (– when the run had none)</source>
        <translation>验证集上的准确率（运行没有验证集时为 –）</translation>
    </message>
    <message>
        <source>Size of the weights as 32-bit floats, in megabytes (10⁶ bytes)</source>
        <translation>以 32 位浮点数存储的权重大小，单位为兆字节（10⁶ 字节）</translation>
    </message>
    <message>
        <source>Median time of one forward pass of a single input, in milliseconds</source>
        <translation>单个输入一次前向传播时间的中位数，单位为毫秒</translation>
    </message>
    <message>
        <source>Median time of one forward pass of 32 inputs at once, in milliseconds</source>
        <translation>一次处理 32 个输入的前向传播时间的中位数，单位为毫秒</translation>
    </message>
    <message>
        <source>Export student…</source>
        <translation>导出学生模型…</translation>
    </message>
    <message>
        <source>Copy the trained student (weights, configuration and tokenizer) to a folder of your choice</source>
        <translation>将训练好的学生模型（权重、配置和分词器）复制到您选择的文件夹</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>% of the teacher</source>
        <translation>占教师的 %</translation>
    </message>
    <message>
        <source>The student relative to the teacher (teacher = 100%); latency at batch 1, lower is faster</source>
        <translation>学生相对于教师的数值（教师 = 100%）；延迟为批大小 1 时的值，越低越快</translation>
    </message>
    <message>
        <source>This run was stopped early: the figures are those of the student trained so far.</source>
        <translation>此次运行被提前停止：这些数值来自截至停止时训练的学生模型。</translation>
    </message>
    <message>
        <source>No results yet: they appear here when a run ends.</source>
        <translation>尚无结果：运行结束后结果会显示在这里。</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Results of %1</source>
        <translation>%1 的结果</translation>
    </message>
    <message>
        <source>Retention: %1 of the teacher's accuracy</source>
        <translation>保留率：达到教师准确率的 %1</translation>
    </message>
    <message>
        <source>Retention: – (the run had no dev set, so no accuracy was measured)</source>
        <translation>保留率：–（此次运行没有验证集，因此未测量准确率）</translation>
    </message>
    <message>
        <source>Speed-up: %1 at batch 1, %2 at batch 32 (inputs of %3 tokens)</source>
        <translation>加速比：批大小 1 时 %1，批大小 32 时 %2（输入长度 %3 个词元）</translation>
    </message>
    <message>
        <source>Speed-up: %1 at batch 1, %2 at batch 32</source>
        <translation>加速比：批大小 1 时 %1，批大小 32 时 %2</translation>
    </message>
    <message>
        <source>Compression: %1 (teacher parameters / student parameters)</source>
        <translation>压缩比：%1（教师参数量 / 学生参数量）</translation>
    </message>
    <message>
        <source>Accuracy: %1</source>
        <translation>准确率：%1</translation>
    </message>
    <message>
        <source>Retention: %1 of the teacher's %2</source>
        <translation>保留率：教师模型 %2 的 %1</translation>
    </message>
    <message>
        <source>Retention: – (the teacher's %1 is not above 0)</source>
        <translation>保留率：–（教师模型的 %1 不大于 0）</translation>
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
        <translation>微平均 F1</translation>
    </message>
    <message>
        <source>Macro F1</source>
        <translation>宏平均 F1</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>完全匹配</translation>
    </message>
    <message>
        <source>Entity F1</source>
        <translation>实体 F1</translation>
    </message>
    <message>
        <source>Entity precision</source>
        <translation>实体精确率</translation>
    </message>
    <message>
        <source>Entity recall</source>
        <translation>实体召回率</translation>
    </message>
</context>
<context>
    <name>retort::widgets::RunFigures</name>
    <message>
        <source>%1%</source>
        <extracomment>A percentage: %1 is the number (German "91,2 %")</extracomment>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>retort::widgets::RunHistoryView</name>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Student accuracy</source>
        <translation>学生准确率</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>保留率</translation>
    </message>
    <message>
        <source>Speed-up</source>
        <translation>加速比</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>Tick the runs to compare</source>
        <translation>勾选要比较的运行</translation>
    </message>
    <message>
        <source>The student's accuracy on the dev set (– when the run had none)</source>
        <translation>学生在验证集上的准确率（运行没有验证集时为 –）</translation>
    </message>
    <message>
        <source>Student accuracy as a percentage of the teacher's</source>
        <translation>学生准确率占教师准确率的百分比</translation>
    </message>
    <message>
        <source>Teacher latency / student latency, at batch 1</source>
        <translation>教师延迟 / 学生延迟，批大小 1</translation>
    </message>
    <message>
        <source>Teacher parameters / student parameters</source>
        <translation>教师参数量 / 学生参数量</translation>
    </message>
    <message>
        <source>Show curves</source>
        <translation>显示曲线</translation>
    </message>
    <message>
        <source>Draw the selected run's loss curves over the current ones</source>
        <translation>将所选运行的损失曲线叠加在当前曲线上</translation>
    </message>
    <message>
        <source>No runs yet: each finished run of the experiment is listed here.</source>
        <translation>尚无运行：实验的每次完成的运行都会列在这里。</translation>
    </message>
    <message>
        <source>Runs of this experiment: select one to see its results.</source>
        <translation>此实验的运行：选择一项查看其结果。</translation>
    </message>
    <message>
        <source>%1 (stopped early)</source>
        <translation>%1（提前停止）</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the selected interrupted run from its last checkpoint, exactly where it stopped</source>
        <translation>从最后一个检查点继续所选的中断运行，精确地从停止处开始</translation>
    </message>
    <message>
        <source>%1 (interrupted at step %2 of %3)</source>
        <translation>%1（在第 %2 步中断，共 %3 步）</translation>
    </message>
    <message>
        <source>%1 (interrupted at step %2)</source>
        <translation>%1（在第 %2 步中断）</translation>
    </message>
</context>
</TS>