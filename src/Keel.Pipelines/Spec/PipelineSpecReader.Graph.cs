namespace Keel.Pipelines.Spec;

// The checks across steps: references to other steps and their outputs, and cycles.
internal sealed partial class PipelineSpecReader
{
    private List<StepSpec> Link(List<RawStep> raw)
    {
        var byName = raw.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var steps = new List<StepSpec>();
        foreach (var step in raw)
        {
            var needs = new List<string>();
            foreach (var (need, mark) in step.Needs)
            {
                if (!byName.ContainsKey(need))
                {
                    Error(mark, $"step '{step.Name}' needs '{need}', which is not a step (steps: {Names(byName.Keys)})");
                }
                else if (need == step.Name)
                {
                    Error(mark, $"step '{step.Name}' needs itself");
                }

                needs.Add(need);
            }

            foreach (var input in step.Inputs)
            {
                if (input.Upstream is not var (upstream, output))
                {
                    if (input.Source.StartsWith("steps.", StringComparison.Ordinal))
                    {
                        _errors.Add(new SpecError(input.Line, 1, $"step '{step.Name}': input '{input.Source}' must have the form steps.STEP.outputs.OUTPUT"));
                    }

                    continue;
                }

                if (!byName.TryGetValue(upstream, out var producer))
                {
                    _errors.Add(new SpecError(input.Line, 1, $"step '{step.Name}': input '{input.Source}' names step '{upstream}', which does not exist"));
                }
                else if (!producer.Outputs.ContainsKey(output))
                {
                    var declared = producer.Outputs.Count == 0 ? "none" : Names(producer.Outputs.Keys);
                    _errors.Add(new SpecError(input.Line, 1, $"step '{step.Name}': input '{input.Source}': step '{upstream}' has no output '{output}' (it declares {declared})"));
                }

                needs.Add(upstream);
            }

            foreach (var upstream in step.When?.Steps ?? [])
            {
                if (!byName.ContainsKey(upstream))
                {
                    Error(step.Mark, $"step '{step.Name}': its condition reads step '{upstream}', which does not exist");
                }

                needs.Add(upstream);
            }

            steps.Add(new StepSpec(
                step.Name, (int)step.Mark.Line, step.Command, [.. needs.Distinct()], step.Inputs, step.Outputs, step.Env,
                step.Retries, step.Timeout, step.When));
        }

        CheckCycles(steps.Where(s => s.Needs.All(byName.ContainsKey)).ToList());
        return steps;
    }

    // Depth-first search; a need that is still on the stack closes a cycle, which is named in full.
    private void CheckCycles(List<StepSpec> steps)
    {
        var byName = steps.ToDictionary(s => s.Name);
        var state = new Dictionary<string, bool>(); // false: on the stack; true: done
        var stack = new List<string>();
        var reported = new HashSet<string>();

        void Visit(StepSpec step)
        {
            state[step.Name] = false;
            stack.Add(step.Name);
            foreach (var need in step.Needs.Where(byName.ContainsKey))
            {
                if (!state.TryGetValue(need, out var done))
                {
                    Visit(byName[need]);
                }
                else if (!done)
                {
                    var cycle = stack[stack.IndexOf(need)..];
                    if (reported.Add(string.Join(",", cycle.Order(StringComparer.Ordinal))))
                    {
                        var first = byName[cycle[0]];
                        _errors.Add(new SpecError(first.Line, 1, $"the steps form a cycle: {string.Join(" -> ", cycle.Append(cycle[0]).Reverse())}"));
                    }
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[step.Name] = true;
        }

        foreach (var step in steps.Where(s => !state.ContainsKey(s.Name)))
        {
            Visit(step);
        }
    }
}
